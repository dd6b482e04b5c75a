package io.tracemark.marker.dialect.framed;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.tracemark.marker.MarkerTimeouts;
import io.tracemark.marker.dialect.message.Conversation;
import io.tracemark.marker.transport.Packet;
import io.tracemark.marker.transport.Transport;

/**
 * The host's end of the framed link layer: stop and wait. Each data frame is sent again after
 * {@link MarkerTimeouts#retransmit()} without ACK, or at once on a NAK, and given up after
 * {@link MarkerTimeouts#maxTransmissions()} sends. Each data frame from the marker is acknowledged
 * and, when its sequence number repeats the last one accepted, not passed on a second time.
 */
final class FramedLink implements Conversation.Link, Transport.Listener {

    private static final System.Logger LOG = System.getLogger(FramedLink.class.getName());
    private static final int NONE = -1;

    private enum Signal { ACK, NAK, LOST }

    private final Transport transport;
    private final MarkerTimeouts timeouts;
    private final FrameReader reader = new FrameReader(this::arrived);
    private final Object sendLock = new Object();
    private volatile Outstanding outstanding;
    private volatile Conversation conversation;
    /** Guarded by sendLock. 00 is first used only after a wrap: RESET already went out with it. */
    private int nextSeq = 1;
    /** Touched by the transport's thread only. */
    private int lastAccepted = NONE;

    FramedLink(Transport transport, MarkerTimeouts timeouts) {
        this.transport = transport;
        this.timeouts = timeouts;
    }

    /** Where data frames' payloads go; set once, before the transport opens. */
    void deliverTo(Conversation receiver) {
        this.conversation = receiver;
    }

    /** Starts a connection: the marker forgets the sequence number it last saw from a host. */
    void reset() throws IOException {
        synchronized (sendLock) {
            deliver(Frame.reset());
        }
    }

    @Override
    public void send(String message) throws IOException {
        synchronized (sendLock) {
            int seq = nextSeq;
            nextSeq = (nextSeq + 1) & 0xFF;
            deliver(Frame.data(seq, message));
        }
    }

    @Override
    public void close() {
        transport.close();
        signal(NONE, Signal.LOST);
    }

    @Override
    public String describe() {
        return FramedDialect.NAME + " over " + transport.describe();
    }

    @Override
    public void received(Packet packet) {
        reader.accept(packet.payload());
    }

    @Override
    public void lost(String reason) {
        signal(NONE, Signal.LOST);
        conversation.linkLost(reason);
    }

    private void deliver(Frame frame) throws IOException {
        byte[] bytes = FrameCodec.encode(frame);
        Outstanding waiting = new Outstanding(frame.seq());
        outstanding = waiting;
        try {
            for (int sends = 1; sends <= timeouts.maxTransmissions(); sends++) {
                transport.send(Packet.bytes(bytes));
                if (waiting.acknowledged(timeouts.retransmit())) {
                    return;
                }
            }
        } finally {
            outstanding = null;
        }
        throw new IOException("no acknowledgement of frame " + hex(frame.seq()) + " after "
                + timeouts.maxTransmissions() + " transmissions");
    }

    private void arrived(FrameCodec.Decoded decoded) {
        if (decoded instanceof FrameCodec.Valid valid) {
            arrived(valid.frame());
        } else {
            damaged((FrameCodec.Damaged) decoded);
        }
    }

    private void arrived(Frame frame) {
        switch (frame.type()) {
            case DATA -> accept(frame);
            case ACK -> signal(frame.seq(), Signal.ACK);
            case NAK -> signal(frame.seq(), Signal.NAK);
            case RESET -> LOG.log(Level.WARNING, "Ignored a RESET frame from " + describe() + ": only hosts reset");
        }
    }

    /** Acknowledged before it is acted on, so a slow listener never makes the marker repeat it. */
    private void accept(Frame frame) {
        reply(Frame.ack(frame.seq()));
        if (frame.seq() == lastAccepted) {
            LOG.log(Level.DEBUG, "Frame " + hex(frame.seq()) + " from " + describe() + " repeated; acknowledged again");
            return;
        }
        lastAccepted = frame.seq();
        conversation.received(frame.payload());
    }

    /** Control frames are never NAKed: the sender's timer repeats whatever they would have answered. */
    private void damaged(FrameCodec.Damaged damaged) {
        LOG.log(Level.WARNING, "Damaged frame from " + describe() + ": " + damaged.why());
        if (damaged.seq() != null && damaged.type() != Frame.Type.ACK.letter()
                && damaged.type() != Frame.Type.NAK.letter()) {
            reply(Frame.nak(damaged.seq()));
        }
    }

    private void reply(Frame frame) {
        try {
            transport.send(Packet.bytes(FrameCodec.encode(frame)));
        } catch (IOException e) {
            // The transport reports the loss itself; the marker repeats the frame if it comes back.
            LOG.log(Level.DEBUG, "Could not send " + frame.type() + " " + hex(frame.seq()) + ": " + e.getMessage());
        }
    }

    private void signal(int seq, Signal signal) {
        Outstanding waiting = outstanding;
        if (waiting != null && (signal == Signal.LOST || waiting.seq == seq)) {
            waiting.signals.add(signal);
        }
    }

    private static String hex(int seq) {
        return String.format(Locale.ROOT, "%02X", seq);
    }

    /** The one frame on its way, and what the other side said about it. */
    private static final class Outstanding {
        final int seq;
        final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();

        Outstanding(int seq) {
            this.seq = seq;
        }

        /** True on ACK; false on NAK or silence, meaning: send again. */
        boolean acknowledged(Duration wait) throws IOException {
            Signal signal;
            try {
                signal = signals.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the acknowledgement of frame " + hex(seq), e);
            }
            if (signal == Signal.LOST) {
                throw new IOException("link lost while frame " + hex(seq) + " awaited its acknowledgement");
            }
            return signal == Signal.ACK;
        }
    }
}
