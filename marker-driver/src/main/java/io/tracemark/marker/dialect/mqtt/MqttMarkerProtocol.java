package io.tracemark.marker.dialect.mqtt;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.tracemark.marker.MarkOrder;
import io.tracemark.marker.MarkReport;
import io.tracemark.marker.MarkerException;
import io.tracemark.marker.MarkerException.Kind;
import io.tracemark.marker.MarkerListener;
import io.tracemark.marker.MarkerProtocol;
import io.tracemark.marker.MarkerStatus;
import io.tracemark.marker.MarkerTimeouts;
import io.tracemark.marker.transport.Packet;
import io.tracemark.marker.transport.Transport;

/**
 * One conversation with one marker incarnation in the MQTT dialect (docs/markers/mqtt.md). It
 * begins with a status query that must be answered, and ends when the transport is lost, the
 * marker's state says it went offline or restarted, or the driver closes it.
 *
 * <p>Commands carry the job this conversation works in: the one the marker had selected when the
 * conversation began, or the one selected since. A marker whose job was changed behind the driver's
 * back therefore refuses orders instead of etching them in a layout nobody chose.
 */
final class MqttMarkerProtocol implements MarkerProtocol, Transport.Listener {

    private static final System.Logger LOG = System.getLogger(MqttMarkerProtocol.class.getName());
    /** 1 to 64 printable ASCII characters, no blank at either end. */
    private static final Pattern JOB = Pattern.compile("[\\x21-\\x7e]([\\x20-\\x7e]{0,62}[\\x21-\\x7e])?");
    static final int MAX_LOG = 1000;
    static final String OFFLINE = "marker offline (last will)";

    private final Transport transport;
    private final MarkerListener listener;
    private final MarkerTimeouts timeouts;
    private final MqttCodec codec = new MqttCodec();
    private final String msgIdPrefix = String.format("d%08x-", ThreadLocalRandom.current().nextInt());
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicReference<Waiting> waiting = new AtomicReference<>();
    private final AtomicReference<String> down = new AtomicReference<>();
    /** Set once the first status was answered: from then on a state is news, and loss is the listener's to hear. */
    private volatile boolean started;
    private volatile long bootId;
    private volatile String job;

    private MqttMarkerProtocol(Transport transport, MarkerListener listener, MarkerTimeouts timeouts) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
    }

    static MarkerProtocol connect(Transport transport, MarkerListener listener, MarkerTimeouts timeouts) {
        MqttMarkerProtocol protocol = new MqttMarkerProtocol(transport, listener, timeouts);
        protocol.start();
        return protocol;
    }

    private void start() {
        try {
            transport.open(this);
        } catch (IOException e) {
            throw new MarkerException(Kind.LINK_DOWN, "Cannot reach the marker: " + e.getMessage(), e);
        }
        MarkerStatus first;
        try {
            first = status();
        } catch (MarkerException e) {
            end("the marker did not answer the first status query");
            // A will that arrived while the transport was still opening ended the conversation
            // before the session existed: the session must not outlive the failed start.
            transport.close();
            throw new MarkerException(Kind.LINK_DOWN, "Marker on " + transport.describe() + " is not reachable: "
                    + e.getMessage(), e);
        }
        bootId = first.bootId();
        started = true;
        String reason = down.get();
        if (reason != null) {
            transport.close();
            throw new MarkerException(Kind.LINK_DOWN, reason);
        }
    }

    // ---- commands --------------------------------------------------------------------------

    @Override
    public MarkerStatus status() {
        Inbound.Reply reply = call("status", msgId -> codec.status(msgId, job), timeouts.reply(), "reply timeout");
        MarkerStatus status = result(reply, "status", codec::status);
        if (!started) {
            job = status.job();
        }
        return status;
    }

    @Override
    public void selectJob(String newJob) {
        if (newJob == null || !JOB.matcher(newJob).matches()) {
            throw new IllegalArgumentException("A job name is 1 to 64 printable ASCII characters, not '" + newJob + "'");
        }
        call("selectJob", msgId -> codec.selectJob(msgId, newJob), timeouts.reply(), "reply timeout");
        job = newJob;
    }

    @Override
    public void enqueue(MarkOrder order) {
        Objects.requireNonNull(order, "order");
        call("enqueue " + order.id(), msgId -> codec.enqueue(msgId, job, order), timeouts.reply(), "reply timeout");
    }

    @Override
    public void clearQueue() {
        call("clearQueue", msgId -> codec.clearQueue(msgId, job), timeouts.clear(), "clear timeout");
    }

    @Override
    public List<MarkReport> markLog(int max) {
        if (max < 1 || max > MAX_LOG) {
            throw new IllegalArgumentException("A mark log query asks for 1 to " + MAX_LOG + " marks, not " + max);
        }
        Inbound.Reply reply = call("log", msgId -> codec.log(msgId, job, max), timeouts.reply(), "reply timeout");
        return result(reply, "log", codec::log);
    }

    /** Ends the conversation without telling the listener: the driver knows, it asked for it. */
    @Override
    public void close() {
        end("the driver closed the conversation");
        // Also when the conversation had already ended: the transport is released whatever ended it.
        transport.close();
    }

    private Inbound.Reply call(String command, Function<String, byte[]> encode, Duration limit, String limitName) {
        String msgId = msgIdPrefix + sequence.incrementAndGet();
        Waiting mine = new Waiting(command, msgId);
        if (!waiting.compareAndSet(null, mine)) {
            throw new IllegalStateException(command + " while " + waiting.get().command
                    + " waits: a marker conversation takes one command at a time");
        }
        try {
            String reason = down.get();
            if (reason != null) {
                throw new MarkerException(Kind.LINK_DOWN, reason);
            }
            send(command, encode.apply(msgId));
            Inbound.Reply reply = mine.await(limit, limitName);
            if (!reply.ok()) {
                throw new MarkerException(Kind.REJECTED, "Marker rejected " + command + " (" + msgId + "): "
                        + reply.errorCode() + (reply.errorText() == null ? "" : " " + reply.errorText()));
            }
            return reply;
        } finally {
            waiting.compareAndSet(mine, null);
        }
    }

    private void send(String command, byte[] json) {
        try {
            transport.send(new Packet(MqttCodec.CMD, json, false));
        } catch (IOException e) {
            String reason = down.get();
            if (reason != null) {
                // The conversation ended while sending (the will came in): that is the news, not the closed link.
                throw new MarkerException(Kind.LINK_DOWN, reason, e);
            }
            // Not declared down here: if the link really broke, the transport reports it on its thread.
            throw new MarkerException(Kind.LINK_DOWN, "Cannot send " + command + " to the marker: " + e.getMessage(), e);
        }
    }

    private interface Decoder<T> {
        T decode(Inbound.Reply reply) throws UnreadableMessage;
    }

    private static <T> T result(Inbound.Reply reply, String command, Decoder<T> decoder) {
        try {
            return decoder.decode(reply);
        } catch (UnreadableMessage e) {
            throw new MarkerException(Kind.PROTOCOL, "Unreadable answer to " + command + ": " + e.getMessage(), e);
        }
    }

    // ---- inbound ---------------------------------------------------------------------------

    @Override
    public void received(Packet packet) {
        try {
            Inbound message = codec.read(packet);
            if (message instanceof Inbound.Reply reply) {
                answer(reply);
            } else if (message instanceof Inbound.Mark mark) {
                marked(mark);
            } else if (message instanceof Inbound.Fault fault) {
                tell(() -> listener.fault(fault.fault()));
            } else if (message instanceof Inbound.State state) {
                stateChanged(state);
            } else if (message instanceof Inbound.OtherEvent other) {
                LOG.log(System.Logger.Level.DEBUG, "Ignored marker event '" + other.name() + "'");
            }
        } catch (UnreadableMessage e) {
            unreadable(packet.topic(), e);
        } catch (RuntimeException e) {
            // Whatever a message does wrong, the next one still deserves to be heard.
            LOG.log(System.Logger.Level.ERROR, "Failed to handle " + packet + " from " + transport.describe(), e);
        }
    }

    @Override
    public void lost(String reason) {
        linkLost(reason);
    }

    private void answer(Inbound.Reply reply) {
        Waiting current = waiting.get();
        if (current != null && current.msgId.equals(reply.msgId())) {
            current.answer.complete(reply);
        } else {
            // A QoS 1 duplicate, or the late answer to a command that already timed out.
            LOG.log(System.Logger.Level.DEBUG, "Ignored reply " + reply.msgId() + ": nobody waits for it");
        }
    }

    private void marked(Inbound.Mark mark) {
        String expected = job;
        if (mark.job() != null && expected != null && !expected.equals(mark.job())) {
            LOG.log(System.Logger.Level.WARNING, "Mark " + mark.report().id() + " was made in job " + mark.job()
                    + ", not in " + expected);
        }
        // Duplicates pass as they come: the pipeline settles each mark id once (docs/markers/mqtt.md).
        tell(() -> listener.markCompleted(mark.report()));
    }

    private void stateChanged(Inbound.State state) {
        if (!started) {
            // Before the first answer, only the retained state is current; the rest is a persistent
            // session's backlog of what happened while the driver was away.
            if (state.retained() && !state.online()) {
                linkLost(OFFLINE);
            }
            return;
        }
        if (!state.online()) {
            linkLost(OFFLINE);
        } else if (state.bootId() != null && state.bootId() != bootId) {
            linkLost("marker restarted (boot id " + bootId + ", now " + state.bootId() + "): its queue is lost");
        }
    }

    private void unreadable(String topic, UnreadableMessage e) {
        Waiting current = waiting.get();
        if (MqttCodec.REPLY.equals(topic) && current != null
                && (e.msgId() == null || e.msgId().equals(current.msgId))) {
            current.answer.completeExceptionally(new MarkerException(Kind.PROTOCOL,
                    "Unreadable reply to " + current.command + " (" + current.msgId + "): " + e.getMessage(), e));
            return;
        }
        String consequence = MqttCodec.EVENT.equals(topic)
                ? "; a mark completion may be lost, the mark log has it" : "";
        MarkerException error = new MarkerException(Kind.PROTOCOL,
                "Dropped an unreadable message from the marker: " + e.getMessage() + consequence, e);
        LOG.log(System.Logger.Level.WARNING, error.getMessage());
        tell(() -> listener.protocolError(error));
    }

    // ---- the end ---------------------------------------------------------------------------

    private void linkLost(String reason) {
        if (end(reason) && started) {
            tell(() -> listener.linkDown(reason));
        }
    }

    /** Finishes the conversation once; true for the call that did. */
    private boolean end(String reason) {
        if (!down.compareAndSet(null, reason)) {
            return false;
        }
        Waiting current = waiting.get();
        if (current != null) {
            current.answer.completeExceptionally(new MarkerException(Kind.LINK_DOWN, reason));
        }
        transport.close();
        return true;
    }

    private void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Marker listener failed", e);
        }
    }

    /** The one command waiting for its reply. */
    private static final class Waiting {

        final String command;
        final String msgId;
        final CompletableFuture<Inbound.Reply> answer = new CompletableFuture<>();

        Waiting(String command, String msgId) {
            this.command = command;
            this.msgId = msgId;
        }

        Inbound.Reply await(Duration limit, String limitName) {
            try {
                return answer.get(limit.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                throw new MarkerException(Kind.TIMEOUT, command + " (" + msgId + ") got no reply within the "
                        + limitName + " of " + limit.toMillis() + " ms");
            } catch (ExecutionException e) {
                MarkerException cause = (MarkerException) e.getCause();
                throw new MarkerException(cause.kind(), cause.getMessage(), cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MarkerException(Kind.TIMEOUT, "Interrupted while " + command + " (" + msgId
                        + ") waited for its reply; the marker may have acted on it", e);
            }
        }
    }
}
