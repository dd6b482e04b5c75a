package io.tracemark.marker.dialect.panasonic;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.tracemark.marker.MarkOrder;
import io.tracemark.marker.MarkReport;
import io.tracemark.marker.MarkerCapabilities;
import io.tracemark.marker.MarkerException;
import io.tracemark.marker.MarkerException.Kind;
import io.tracemark.marker.MarkerFault;
import io.tracemark.marker.MarkerHold;
import io.tracemark.marker.MarkerListener;
import io.tracemark.marker.MarkerProtocol;
import io.tracemark.marker.MarkerStatus;
import io.tracemark.marker.MarkerTimeouts;
import io.tracemark.marker.transport.Packet;
import io.tracemark.marker.transport.Transport;

/**
 * One conversation with a Panasonic LP marker (ME-LP-GS-SR-COMP-3). The marker holds one code:
 * the code data of a 2D code object (BCS), marked on every trigger while the marker is trigger
 * ready. So the driver keeps it out of trigger ready ("command reception permission ON", MKM 0)
 * except while exactly one unmarked code is set: an order is set with MKM 0, BCS, MKM 1; the
 * marking end verification response (MST, enabled at connect) reports its mark, upon which the
 * driver sets MKM 0 again before the next item can trigger the same code a second time.
 *
 * <p>Answers carry no tag, so a late answer could be taken for the answer to the next command:
 * a command without an answer within the reply timeout therefore ends the conversation (LINK_DOWN
 * to the listener); the next one starts on a freshly opened transport, and the pipeline settles
 * what was in flight by read-back and counter ({@link #hold}).
 */
final class PanasonicLpProtocol implements MarkerProtocol {

    /** 2D code data goes into string No. 1 to 9 of the object, 30 characters each (3-7-1, p.87). */
    static final int STRINGS = 9;
    static final int STRING_LENGTH = 30;

    static final MarkerCapabilities CAPABILITIES = new MarkerCapabilities(1, false, true, true);

    private static final System.Logger LOG = System.getLogger(PanasonicLpProtocol.class.getName());

    private final Transport transport;
    private final MarkerListener listener;
    private final MarkerTimeouts timeouts;
    private final LpOptions options;
    private final LpCodec codec;
    private final LpCodec.Splitter splitter;
    private final Object commandLock = new Object();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final ExecutorService disarmer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "panasonic-lp-disarm");
        t.setDaemon(true);
        return t;
    });
    private volatile String finishedBecause;
    private volatile Pending pending;
    private volatile MarkOrder held;
    /** A mark ended and the marker is still trigger ready with its code: disarm before anything else. */
    private volatile boolean disarmOwed;
    /** The MST status of a mark reported but not yet confirmed by the counter. */
    private volatile String unconfirmed;
    /**
     * MKM 1 was the last permission set and acknowledged: trigger ready, as far as this
     * conversation knows (a mark's end does not change it; the driver's disarm does).
     */
    private volatile boolean armed;
    /** The mark counter when the held code was armed. */
    private long countAtArm;
    private volatile long lostStrings;
    /** MST S 1 was answered in this conversation: a readout of "0" now means the marker restarted. */
    private volatile boolean permitted;
    /** String Nos. the last code used; unknown after connecting, so every one is cleared first. */
    private int stringsUsed = STRINGS;

    private PanasonicLpProtocol(Transport transport, MarkerListener listener, MarkerTimeouts timeouts,
            LpOptions options) {
        this.transport = transport;
        this.listener = listener;
        this.timeouts = timeouts;
        this.options = options;
        this.codec = new LpCodec(options);
        this.splitter = new LpCodec.Splitter(this::received);
    }

    static PanasonicLpProtocol connect(Transport transport, MarkerListener listener, MarkerTimeouts timeouts,
            LpOptions options) {
        PanasonicLpProtocol protocol = new PanasonicLpProtocol(transport, listener, timeouts, options);
        try {
            transport.open(new Transport.Listener() {
                @Override
                public void received(Packet packet) {
                    protocol.splitter.accept(packet.payload());
                }

                @Override
                public void lost(String reason) {
                    protocol.linkLost(reason);
                }
            });
        } catch (IOException e) {
            throw new MarkerException(Kind.LINK_DOWN, "Cannot open " + transport.describe() + ": " + e.getMessage(), e);
        }
        try {
            protocol.status();
            // Completions are reported only while the response is permitted (3-3-8, p.63), and a
            // code left set by an earlier run must not be marked: disarm before anything else.
            protocol.setting("MST", "1");
            protocol.permitted = true;
            protocol.setting("MKM", "0");
        } catch (MarkerException e) {
            protocol.close();
            throw new MarkerException(Kind.LINK_DOWN, "No Panasonic LP marker answers on " + transport.describe()
                    + ": " + e.getMessage(), e);
        }
        return protocol;
    }

    @Override
    public MarkerCapabilities capabilities() {
        return CAPABILITIES;
    }

    /**
     * STS (3-3-7, p.62), FNO (file No.) and MST (3-3-8, p.63). A marker that reads back MST "0"
     * restarted (or left remote mode, which takes back the permission too): it would mark without
     * reporting. While a code is set, it is read back too: a marker that lost it (restarted, or
     * changed by hand) counts as having lost its queue, so the status shows another boot id and
     * no queued order.
     */
    @Override
    public MarkerStatus status() {
        String sts = readout("STS", "");
        if (!sts.matches("[01][012][01][01][01]")) {
            throw new MarkerException(Kind.PROTOCOL, "Unreadable STS data '" + sts + "' from " + describe());
        }
        String job = readout("FNO", "");
        // Before this conversation permitted it, "0" is merely the marker's state on entering remote mode.
        boolean restarted = !reportsMarks() && permitted;
        MarkOrder order = held;
        if (order != null && (restarted || !heldContent(order).equals(readBack(stringsUsed)))) {
            held = null;
            listener.fault(new MarkerFault("CODE_LOST", "the marker no longer holds the code set for "
                    + order.id() + ": it restarted or its data was changed"));
            order = null;
            restarted = true;
        }
        if (restarted) {
            lostStrings++;
            // A restart also took back the marking end verification permission (3-3-8, p.63).
            setting("MST", "1");
            setting("MKM", "0");
        }
        boolean error = sts.charAt(0) == '1';
        boolean ready = !error && sts.charAt(1) == '2' && sts.charAt(3) == '1';
        return new MarkerStatus(ready, job.isEmpty() ? null : job, order == null ? List.of() : List.of(order.id()),
                1, lostStrings, error ? "ERROR" : null);
    }

    /** MST readout (3-3-8, p.63): "1" while the marker sends an automatic response at each mark's end. */
    private boolean reportsMarks() {
        return readout("MST", "").equals("1");
    }

    /** FNO: the file No., four digits as the marker reads it back (e.g. "0012"). */
    @Override
    public void selectJob(String job) {
        if (job == null || !job.matches("[0-9]{4}")) {
            throw new IllegalArgumentException("A Panasonic LP job is the file No. as four digits, e.g. 0012, not '"
                    + job + "'");
        }
        synchronized (commandLock) {
            setting("MKM", "0");
            setting("FNO", job);
            held = null;
            stringsUsed = STRINGS;
        }
    }

    @Override
    public void enqueue(MarkOrder order) {
        String data = heldContent(order);
        if (data.length() > STRINGS * STRING_LENGTH) {
            throw new MarkerException(Kind.REJECTED, "Code data of " + order.id() + " is " + data.length()
                    + " characters; a 2D code object takes " + STRINGS * STRING_LENGTH);
        }
        synchronized (commandLock) {
            if (held != null) {
                throw new MarkerException(Kind.REJECTED, "The marker holds one code and " + held.id()
                        + " is not marked yet");
            }
            setting("MKM", "0");
            if (!reportsMarks()) {
                // Restarted since the permission was given: armed now, it would mark on every
                // trigger and report none. Nothing was set since the restart, so nothing is lost.
                lostStrings++;
                listener.fault(new MarkerFault("RESTARTED", "the marker no longer sends marking end responses: "
                        + "it restarted or left remote mode"));
                setting("MST", "1");
            }
            int strings = writeStrings(data);
            stringsUsed = strings;
            countAtArm = counter();
            held = order;
            unconfirmed = null;
            setting("MKM", "1");
        }
    }

    /** Disarms the marker, then deletes the code data: nothing is left that a trigger could mark. */
    @Override
    public void clearQueue() {
        synchronized (commandLock) {
            setting("MKM", "0");
            writeStrings("");
            stringsUsed = 0;
            held = null;
        }
    }

    /** An LP marker keeps no log of marks by code: {@link #hold} and the counter stand in for it. */
    @Override
    public List<MarkReport> markLog(int max) {
        return List.of();
    }

    /**
     * The code data read back and the counter, read twice, with the marker disarmed. Disarmed,
     * because the caller settles codes by this reading: a marker left armed after a lost mark
     * report could put the code on the next item between the reading and the settlement, and
     * that mark would be reported to nobody. Twice, because a disarmed marker counts nothing
     * between the two: two different values mean that an answer meant for an earlier command
     * (delayed on the line, or repeated) stood in for one of them, and a counter taken from it
     * could confirm a mark that was not the only one, so the conversation ends instead. A code
     * that no item took yet is armed again: it still waits for its item.
     */
    @Override
    public MarkerHold hold() {
        synchronized (commandLock) {
            if (armed) {
                setting("MKM", "0");
            }
            String content = readBack(Math.max(stringsUsed, 1));
            long count = counter();
            long again = counter();
            if (again != count) {
                throw desynchronized("CNT", "counter readings " + count + " and " + again
                        + " that differ while the marker is disarmed");
            }
            MarkOrder order = held;
            if (order != null && unconfirmed == null && count == countAtArm && content.equals(heldContent(order))) {
                setting("MKM", "1");
            }
            return new MarkerHold(content.isEmpty() ? null : content, count);
        }
    }

    @Override
    public String heldContent(MarkOrder order) {
        return Gs1CodeData.encode(order.content());
    }

    @Override
    public void close() {
        if (finish("closed")) {
            transport.close();
        }
    }

    /** Sets string No. 1.. with the data in 30-character parts and deletes the rest; returns the parts. */
    private int writeStrings(String data) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < data.length(); i += STRING_LENGTH) {
            parts.add(data.substring(i, Math.min(data.length(), i + STRING_LENGTH)));
        }
        for (int i = 0; i < parts.size(); i++) {
            setting("BCS", "" + options.object() + (i + 1) + parts.get(i));
        }
        for (int i = parts.size() + 1; i <= stringsUsed; i++) {
            setting("BCS", "" + options.object() + i);
        }
        return parts.size();
    }

    /** BCS readout of string No. 1 to {@code strings}, joined as the marker joins them. */
    private String readBack(int strings) {
        StringBuilder content = new StringBuilder();
        for (int i = 1; i <= strings; i++) {
            String prefix = "" + options.object() + i;
            String data = readout("BCS", prefix);
            if (!data.startsWith(prefix)) {
                throw desynchronized("BCS", "readout of string " + prefix + " answered '"
                        + LpCodec.visible(LpCodec.ascii(data)) + "'");
            }
            content.append(data.substring(prefix.length()));
        }
        return content.toString();
    }

    /** CNT readout (3-6-1, p.79): counter No., then the current value as six digits. */
    private long counter() {
        String data = readout("CNT", "" + options.counter());
        if (data.length() < 7 || data.charAt(0) != (char) ('0' + options.counter())
                || !data.substring(1, 7).matches("[0-9]{6}")) {
            throw desynchronized("CNT", "readout of counter " + options.counter() + " answered '" + data + "'");
        }
        return Long.parseLong(data.substring(1, 7));
    }

    private void setting(String command, String data) {
        LpMessage answer = execute(command, 'S', data);
        if (!(answer instanceof LpMessage.Ack)) {
            throw desynchronized(command, answer);
        }
        if (command.equals("MKM")) {
            armed = data.equals("1");
        }
    }

    private String readout(String command, String data) {
        LpMessage answer = execute(command, 'R', data);
        if (answer instanceof LpMessage.Command c && c.command().equals(command) && c.sub() == 'A') {
            return c.data();
        }
        throw desynchronized(command, answer);
    }

    /** An answer of the wrong kind: the marker and the driver no longer agree on which answer is which. */
    private MarkerException desynchronized(String command, LpMessage answer) {
        return desynchronized(command, "answer " + answer + " that does not belong to it");
    }

    private MarkerException desynchronized(String command, String what) {
        String reason = command + " got " + what;
        giveUp(reason);
        return new MarkerException(Kind.PROTOCOL, "Out of step with the marker on " + describe() + ": " + reason);
    }

    private LpMessage execute(String command, char sub, String data) {
        synchronized (commandLock) {
            if (command.equals("MKM") && sub == 'S' && data.equals("0")) {
                disarmOwed = false;
            } else if (disarmOwed) {
                setting("MKM", "0");
            }
            Pending waiting = new Pending(command, sub == 'R');
            pending = waiting;
            try {
                ensureUp();
                transport.send(Packet.bytes(codec.encode(new LpMessage.Command(command, sub, data))));
                LpMessage answer = waiting.await(timeouts.reply());
                if (answer instanceof LpMessage.Nak nak) {
                    throw new MarkerException(Kind.REJECTED, "The marker refused " + command + " " + sub + ": NAK"
                            + nak.code() + " " + LpResponseCodes.cause(nak.code()));
                }
                return answer;
            } catch (IOException e) {
                linkLost(e.getMessage());
                throw new MarkerException(Kind.LINK_DOWN, "Sending " + command + " to " + describe() + " failed: "
                        + e.getMessage(), e);
            } finally {
                pending = null;
            }
        }
    }

    private void received(byte[] bytes) {
        LpMessage message = codec.decode(bytes);
        try {
            // MST A is both the readout response (one byte, the permission) and the automatic
            // response at a mark's end (four bytes, the status), 3-3-8 pp.63-64.
            if (message instanceof LpMessage.Command c && c.command().equals("MST") && c.sub() == 'A'
                    && c.data().length() != 1) {
                completed(c.data());
            } else if (message instanceof LpMessage.Garbled g) {
                garbled(g);
            } else {
                Pending waiting = pending;
                if (waiting == null || !waiting.done.complete(message)) {
                    // An answer no command waits for: delayed past its timeout, or sent twice. The
                    // next one may belong to an earlier command too, and answers carry no tag.
                    giveUp("an answer came that no command waits for: " + LpCodec.visible(bytes));
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Marker listener failed on " + LpCodec.visible(bytes), e);
        }
    }

    /** MST automatic response (3-3-8, p.64): "0000" normal end, "E001"-"E999" the error code. */
    private void completed(String status) {
        MarkOrder order = held;
        if (!status.matches("0000|E[0-9]{3}")) {
            garbled(new LpMessage.Garbled("MST A " + status, "MST status is neither 0000 nor Ennn"));
            return;
        }
        if (order == null) {
            listener.protocolError(new MarkerException(Kind.PROTOCOL, "The marker reported a mark (" + status
                    + ") while no code set through this connection was waiting"));
            return;
        }
        unconfirmed = status;
        disarmOwed = true;
        disarmer.execute(this::confirmMark);
    }

    /**
     * Disarms, then asks the counter whether the reported mark is the held code's: exactly one
     * mark since it was armed. None means the report belonged to a mark begun before it was armed
     * (a marker still busy after a reconnect): the code is armed again. More than one means the
     * code went on several items before the disarm, which only the camera can sort out.
     */
    private void confirmMark() {
        synchronized (commandLock) {
            MarkOrder order = held;
            String status = unconfirmed;
            if (order == null || status == null || finished.get()) {
                return;
            }
            try {
                if (disarmOwed) {
                    setting("MKM", "0");
                }
                long marks = counter() - countAtArm;
                unconfirmed = null;
                if (marks == 0) {
                    LOG.log(Level.INFO, "A mark report came before " + order.id() + " was marked: armed again");
                    setting("MKM", "1");
                    return;
                }
                held = null;
                report(order, status, marks);
            } catch (MarkerException e) {
                // The pipeline settles the code by counter and read-back once the link is sorted out.
                LOG.log(Level.WARNING, "Confirming the mark of " + order.id() + " failed: " + e.getMessage());
                listener.protocolError(new MarkerException(Kind.PROTOCOL, "The mark of " + order.id()
                        + " could not be confirmed by the counter: " + e.getMessage()));
            }
        }
    }

    private void report(MarkOrder order, String status, long marks) {
        if (marks > 1) {
            String text = "the marker counted " + marks + " marks while it held " + order.id()
                    + ": the code may be on " + marks + " items";
            listener.fault(new MarkerFault("MARKED_AGAIN", text));
            listener.markCompleted(MarkReport.failed(order.id(), text));
        } else if (status.equals("0000")) {
            listener.markCompleted(MarkReport.marked(order.id()));
        } else {
            String text = "marking ended with error " + status + " (ME-LP-GS-SR-COMP-3 p.150, Error Indication)";
            listener.fault(new MarkerFault(status, text));
            listener.markCompleted(MarkReport.failed(order.id(), text));
        }
    }

    /**
     * A query fails at once, since asking again is harmless. A setting keeps waiting: only its
     * answer or the timeout may settle whether it took effect. Either way, the garbled message
     * may have been a completion, which the listener must recover by counter.
     */
    private void garbled(LpMessage.Garbled garbled) {
        LOG.log(Level.WARNING, "Unreadable message from " + describe() + " (" + garbled.why() + "): "
                + LpCodec.visible(LpCodec.ascii(garbled.bytes())));
        Pending waiting = pending;
        if (waiting != null && waiting.query) {
            waiting.done.completeExceptionally(new MarkerException(Kind.PROTOCOL, "Unreadable answer to "
                    + waiting.command + " from " + describe() + " (" + garbled.why() + ")"));
        }
        if (held != null) {
            listener.protocolError(new MarkerException(Kind.PROTOCOL, "Unreadable message while a code was set ("
                    + garbled.why() + "): it may have been its mark"));
        }
    }

    /**
     * Ends a conversation that lost track of which answer is which. A disarm goes out first,
     * unanswered, so that a code armed now is not marked on every item until the next
     * conversation disarms it; its answer lands in the closed conversation.
     */
    private void giveUp(String reason) {
        if (!finished.get()) {
            try {
                transport.send(Packet.bytes(codec.encode(new LpMessage.Command("MKM", 'S', "0"))));
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "The parting disarm did not go out: " + e.getMessage());
            }
        }
        linkLost(reason);
    }

    private void linkLost(String reason) {
        if (finish(reason)) {
            transport.close();
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
        disarmer.shutdown();
        Pending waiting = pending;
        if (waiting != null) {
            waiting.done.completeExceptionally(new MarkerException(Kind.LINK_DOWN, "Link to " + describe()
                    + " is down: " + reason));
        }
        return true;
    }

    private void ensureUp() {
        if (finished.get()) {
            throw new MarkerException(Kind.LINK_DOWN, "Link to " + describe() + " is down: " + finishedBecause);
        }
    }

    private String describe() {
        return PanasonicLpDialect.NAME + " over " + transport.describe();
    }

    /** The command waiting for its answer; completed on the receiving thread. */
    private final class Pending {
        final String command;
        final boolean query;
        final CompletableFuture<LpMessage> done = new CompletableFuture<>();

        Pending(String command, boolean query) {
            this.command = command;
            this.query = query;
        }

        LpMessage await(Duration timeout) {
            try {
                return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // Its answer may still come and would be taken for the next command's: start afresh.
                giveUp("no answer to " + command + " within " + timeout.toMillis() + " ms");
                throw new MarkerException(Kind.TIMEOUT, "No answer to " + command + " from " + describe() + " within "
                        + timeout.toMillis() + " ms");
            } catch (ExecutionException e) {
                MarkerException cause = (MarkerException) e.getCause();
                throw new MarkerException(cause.kind(), cause.getMessage(), cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MarkerException(Kind.TIMEOUT, "Interrupted while waiting for the answer to " + command, e);
            }
        }
    }
}
