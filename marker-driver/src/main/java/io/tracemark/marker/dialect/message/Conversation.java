package io.tracemark.marker.dialect.message;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.tracemark.marker.MarkOrder;
import io.tracemark.marker.MarkReport;
import io.tracemark.marker.MarkerException;
import io.tracemark.marker.MarkerException.Kind;
import io.tracemark.marker.MarkerFault;
import io.tracemark.marker.MarkerListener;
import io.tracemark.marker.MarkerProtocol;
import io.tracemark.marker.MarkerStatus;
import io.tracemark.marker.MarkerTimeouts;

/**
 * The command set's side of a marker conversation, whatever carries its messages: one command at
 * a time, matched to its answer by tag, events passed to the listener as they come, also while a
 * command waits. Dialects supply the {@link Link} and feed it {@link #received} messages.
 *
 * <p>An answer that arrives after its command timed out carries an old tag and is dropped, so a
 * late or repeated answer is never taken for the answer to a later command.
 */
public final class Conversation implements MarkerProtocol {

    /** How a dialect moves whole messages; the conversation never sees terminators or frames. */
    public interface Link {

        /** Sends one message; returns once the transport took it (ascii) or the marker acknowledged it (framed). */
        void send(String message) throws IOException;

        /** Closes the transport under the link. */
        void close();

        /** For messages: the dialect and transport, e.g. "ascii over serial /dev/ttyUSB0 115200 8N1". */
        String describe();
    }

    /**
     * How many completed mark ids are remembered to drop a repeated completion event: far more than
     * a marker's queue holds, so a repeat of any mark still in flight is recognised.
     */
    static final int REMEMBERED_COMPLETIONS = 4096;

    private static final System.Logger LOG = System.getLogger(Conversation.class.getName());

    private final Link link;
    private final MarkerListener listener;
    private final MarkerTimeouts timeouts;
    private final Object commandLock = new Object();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final Map<String, Boolean> reported = Collections.synchronizedMap(new RecentIds());
    private volatile String finishedBecause;
    private volatile Pending pending;
    private int tagCounter = ThreadLocalRandom.current().nextInt(256);

    public Conversation(Link link, MarkerListener listener, MarkerTimeouts timeouts) {
        this.link = Objects.requireNonNull(link, "link");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
    }

    @Override
    public MarkerStatus status() {
        Inbound.Reply reply = execute("STA", "", true, timeouts.reply()).reply;
        try {
            return Messages.status(reply.data());
        } catch (IllegalArgumentException e) {
            throw new MarkerException(Kind.PROTOCOL, "Unreadable status from " + link.describe() + ": "
                    + e.getMessage());
        }
    }

    @Override
    public void selectJob(String job) {
        if (job == null || !Messages.JOB_NAME.matcher(job).matches()) {
            throw new IllegalArgumentException("A job name is 1 to 32 letters, digits, '_', '.' or '-', not '"
                    + job + "'");
        }
        execute("JOB", job, false, timeouts.reply());
    }

    @Override
    public void enqueue(MarkOrder order) {
        execute("ENQ", order.id() + " " + order.content(), false, timeouts.reply());
    }

    @Override
    public void clearQueue() {
        execute("CLR", "", false, timeouts.clear());
    }

    @Override
    public List<MarkReport> markLog(int max) {
        if (max < 1 || max > Messages.MAX_LOG) {
            throw new IllegalArgumentException("A mark log request is for 1 to " + Messages.MAX_LOG
                    + " marks, not " + max);
        }
        Answer answer = execute("LOG", Integer.toString(max), true, timeouts.reply());
        return logRecords(answer);
    }

    private List<MarkReport> logRecords(Answer answer) {
        try {
            int announced = Integer.parseInt(answer.reply.data());
            if (announced != answer.items.size()) {
                throw new IllegalArgumentException("the answer announced " + announced + " records but "
                        + answer.items.size() + " arrived");
            }
            List<MarkReport> log = new ArrayList<>(announced);
            for (String item : answer.items) {
                log.add(Messages.logRecord(item));
            }
            return log;
        } catch (IllegalArgumentException e) {
            throw new MarkerException(Kind.PROTOCOL, "Unreadable mark log from " + link.describe() + ": "
                    + e.getMessage());
        }
    }

    @Override
    public void close() {
        if (finish("closed")) {
            link.close();
        }
    }

    /** Whether the conversation ended: closed, or its link went down. */
    public boolean finished() {
        return finished.get();
    }

    /**
     * Called by the dialect when the link is gone or it gave up on it: the listener hears of it
     * once, a waiting command fails at once, and every later command fails with LINK_DOWN.
     */
    public void linkLost(String reason) {
        if (finish(reason)) {
            link.close();
            try {
                listener.linkDown(reason);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "Marker listener failed on link down", e);
            }
        }
    }

    private boolean finish(String reason) {
        if (!finished.compareAndSet(false, true)) {
            return false;
        }
        finishedBecause = reason;
        Pending waiting = pending;
        if (waiting != null) {
            waiting.fail(new MarkerException(Kind.LINK_DOWN, "Link to " + link.describe() + " is down: " + reason));
        }
        return true;
    }

    /** One message from the marker, on the dialect's receiving thread. */
    public void received(String message) {
        if (message.isEmpty()) {
            return;
        }
        Inbound inbound = Messages.parse(message);
        try {
            dispatch(inbound);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Marker listener failed on " + inbound, e);
        }
    }

    private void dispatch(Inbound inbound) {
        if (inbound instanceof Inbound.Reply r) {
            answered(r.tag(), r, null);
        } else if (inbound instanceof Inbound.Refusal r) {
            answered(r.tag(), r, null);
        } else if (inbound instanceof Inbound.Item i) {
            answered(i.tag(), null, i.data());
        } else if (inbound instanceof Inbound.Completion c) {
            completed(c.report());
        } else if (inbound instanceof Inbound.FaultRaised f) {
            listener.fault(f.fault());
        } else if (inbound instanceof Inbound.Booted b) {
            listener.fault(new MarkerFault(Messages.REBOOTED,
                    "the marker restarted (boot id " + b.bootId() + ") and its queue is gone"));
        } else {
            garbage((Inbound.Garbage) inbound);
        }
    }

    private void answered(String tag, Inbound last, String item) {
        Pending waiting = pending;
        if (waiting == null || !waiting.tag.equals(tag)) {
            LOG.log(Level.DEBUG, "Dropped an answer tagged " + tag + " from " + link.describe()
                    + ": no command with that tag is waiting");
            return;
        }
        if (item != null) {
            waiting.items.add(item);
        } else {
            waiting.done.complete(last);
        }
    }

    private void completed(MarkReport report) {
        if (reported.put(report.id(), Boolean.TRUE) != null) {
            LOG.log(Level.DEBUG, "Dropped a repeated completion of " + report.id());
            return;
        }
        listener.markCompleted(report);
    }

    /**
     * A query fails at once, since the garbled line may have been its answer and asking again is
     * harmless. A command that changes the marker keeps waiting: the marker may have acted on it,
     * and only its answer, or the timeout that marks the outcome unknown, may settle that.
     */
    private void garbage(Inbound.Garbage garbage) {
        LOG.log(Level.WARNING, "Unreadable message from " + link.describe() + " (" + garbage.why() + "): "
                + Messages.visible(garbage.line()));
        Pending waiting = pending;
        if (waiting != null && waiting.query) {
            waiting.fail(new MarkerException(Kind.PROTOCOL, "Unreadable message from " + link.describe()
                    + " while waiting for the answer to " + waiting.verb + " (" + garbage.why() + ")"));
        }
    }

    private Answer execute(String verb, String arguments, boolean query, Duration timeout) {
        synchronized (commandLock) {
            Pending waiting = new Pending(Messages.tag(tagCounter++), verb, query);
            pending = waiting;
            try {
                // Checked after publishing the command, so that a loss racing with it fails it too.
                ensureUp();
                link.send(Messages.command(waiting.tag, verb, arguments));
                return waiting.await(timeout);
            } catch (IOException e) {
                linkLost(e.getMessage());
                throw new MarkerException(Kind.LINK_DOWN, "Sending " + verb + " to " + link.describe()
                        + " failed: " + e.getMessage(), e);
            } finally {
                pending = null;
            }
        }
    }

    private void ensureUp() {
        if (finished.get()) {
            throw new MarkerException(Kind.LINK_DOWN, "Link to " + link.describe() + " is down: " + finishedBecause);
        }
    }

    /** What a successful command brought back: its final reply and the records before it. */
    private record Answer(Inbound.Reply reply, List<String> items) {
    }

    /** The command waiting for its answer; completed on the receiving thread. */
    private final class Pending {
        final String tag;
        final String verb;
        final boolean query;
        final List<String> items = Collections.synchronizedList(new ArrayList<>());
        final CompletableFuture<Inbound> done = new CompletableFuture<>();

        Pending(String tag, String verb, boolean query) {
            this.tag = tag;
            this.verb = verb;
            this.query = query;
        }

        void fail(MarkerException e) {
            done.completeExceptionally(e);
        }

        Answer await(Duration timeout) {
            Inbound answer = result(timeout);
            if (answer instanceof Inbound.Refusal r) {
                throw new MarkerException(Kind.REJECTED, "The marker refused " + verb + ": " + r.code() + " "
                        + r.text());
            }
            return new Answer((Inbound.Reply) answer, List.copyOf(items));
        }

        private Inbound result(Duration timeout) {
            try {
                return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new MarkerException(Kind.TIMEOUT, "No answer to " + verb + " from " + link.describe()
                        + " within " + timeout.toMillis() + " ms");
            } catch (ExecutionException e) {
                MarkerException cause = (MarkerException) e.getCause();
                throw new MarkerException(cause.kind(), cause.getMessage(), cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MarkerException(Kind.TIMEOUT, "Interrupted while waiting for the answer to " + verb, e);
            }
        }
    }

    /** The most recently completed mark ids, oldest forgotten first. */
    private static final class RecentIds extends LinkedHashMap<String, Boolean> {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_COMPLETIONS;
        }
    }
}
