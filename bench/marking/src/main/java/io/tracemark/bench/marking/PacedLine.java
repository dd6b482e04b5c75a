package io.tracemark.bench.marking;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

import io.tracemark.marker.transport.Packet;
import io.tracemark.marker.transport.Transport;

/**
 * A serial transport slowed to a real line's speed. A pseudo-terminal moves bytes as fast as the
 * kernel copies them, whatever baud rate the port is set to; this decorator makes the driver see
 * the timing of an RS-232 line instead, in both directions, since both are timed at the driver's
 * end: a byte written reaches the marker, and a byte the marker wrote reaches the driver, no sooner
 * than the line could have carried it, each direction at {@code bitsPerByte / baud} per byte (10
 * bits for 8N1: start, 8 data, stop) behind the bytes before it.
 *
 * <p>Writes return at once, as a write into the serial driver's buffer does; a pacer thread per
 * direction hands the bytes on when their last bit has crossed. The marker's own writes are not
 * slowed (the simulator is not ours to change), so the marker may queue bytes early; they still
 * reach the driver at line speed, which is all the driver can observe.
 */
final class PacedLine implements Transport {

    private static final System.Logger LOG = System.getLogger(PacedLine.class.getName());
    /** Where messages end: CR in ascii, ETX in framed; neither occurs inside a message of either. */
    private static final byte CR = 0x0D;
    private static final byte ETX = 0x03;

    private final Transport delegate;
    private final long nanosPerByte;
    private volatile Pacer outbound;
    private volatile Pacer inbound;

    PacedLine(Transport delegate, int baud, int bitsPerByte) {
        this.delegate = delegate;
        this.nanosPerByte = Math.round(bitsPerByte * 1e9 / baud);
    }

    long nanosPerByte() {
        return nanosPerByte;
    }

    @Override
    public void open(Listener listener) throws IOException {
        Pacer in = new Pacer("paced-line-in");
        Pacer out = new Pacer("paced-line-out");
        inbound = in;
        outbound = out;
        try {
            delegate.open(new Listener() {
                @Override
                public void received(Packet packet) {
                    // A UART hands over each message as its last byte arrives, not when the chunk the
                    // pseudo-terminal happened to read is complete: cut after every terminator.
                    byte[] bytes = packet.payload();
                    int from = 0;
                    for (int i = 0; i < bytes.length; i++) {
                        if (bytes[i] == CR || bytes[i] == ETX || i == bytes.length - 1) {
                            Packet piece = Packet.bytes(Arrays.copyOfRange(bytes, from, i + 1));
                            in.carry(i + 1 - from, () -> listener.received(piece));
                            from = i + 1;
                        }
                    }
                }

                @Override
                public void lost(String reason) {
                    // Behind the bytes already on the wire: they were sent before the link broke.
                    in.carry(0, () -> listener.lost(reason));
                }
            });
        } catch (IOException | RuntimeException e) {
            in.stop();
            out.stop();
            throw e;
        }
    }

    @Override
    public void send(Packet packet) throws IOException {
        Pacer out = outbound;
        if (out == null || !delegate.isOpen()) {
            throw new IOException(describe() + " is not open");
        }
        out.carry(packet.payload().length, () -> {
            try {
                delegate.send(packet);
            } catch (IOException e) {
                // The transport reports a broken link to its listener itself, and a write still on
                // the wire when the dialect closed the link is lost as on a real line.
                LOG.log(Level.DEBUG, "Paced write to " + describe() + " failed: " + e.getMessage());
            }
        });
    }

    @Override
    public boolean isOpen() {
        return delegate.isOpen();
    }

    @Override
    public String describe() {
        return delegate.describe() + " paced";
    }

    @Override
    public void close() {
        Pacer out = outbound;
        Pacer in = inbound;
        outbound = null;
        inbound = null;
        if (out != null) {
            out.stop();
        }
        delegate.close();
        if (in != null) {
            in.stop();
        }
    }

    /** One direction of the line: bytes leave in order, each chunk when its last byte has crossed. */
    private final class Pacer {
        private record Chunk(long due, Runnable delivery) {
        }

        private static final Chunk STOP = new Chunk(0, () -> { });

        private final BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        private final Thread thread;
        /** When the line is free again; advanced by submitters under the pacer's lock. */
        private long freeAt = System.nanoTime();

        Pacer(String name) {
            thread = new Thread(this::run, name);
            thread.setDaemon(true);
            thread.start();
        }

        synchronized void carry(int bytes, Runnable delivery) {
            long start = Math.max(System.nanoTime(), freeAt);
            freeAt = start + bytes * nanosPerByte;
            queue.add(new Chunk(freeAt, delivery));
        }

        void stop() {
            queue.add(STOP);
        }

        private void run() {
            try {
                while (true) {
                    Chunk chunk = queue.take();
                    if (chunk == STOP) {
                        return;
                    }
                    long wait;
                    while ((wait = chunk.due - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    chunk.delivery.run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
