package io.tracemark.marker.transport;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;

/**
 * A marker's RS-232 link, on jSerialComm. Inbound bytes are delivered as {@link Packet#bytes}
 * chunks, as they arrive, on a reader thread of its own; the link counts as lost when a read
 * fails or the device node disappears (USB adapter unplugged, pseudo-terminal closed).
 *
 * <p>The port path may be a symlink (udev rules, socat links): it is resolved again at each
 * {@link #open}, so a device that comes back under another number is found. {@link #send} may be
 * called from any thread; writes are serialized.
 */
public final class SerialTransport implements Transport {

    private static final System.Logger LOG = System.getLogger(SerialTransport.class.getName());

    /**
     * How long one read waits for data before the reader checks whether it should stop and whether
     * the device is still there. It bounds how long {@link #close} waits for the reader, and how
     * late a silently vanished device is noticed. jSerialComm rounds it to 100 ms steps on Linux.
     */
    static final Duration READ_POLL = Duration.ofMillis(100);

    /** How long {@link #close} waits for the reader to leave its read before closing the port under it. */
    static final Duration READER_STOP = READ_POLL.multipliedBy(10);

    private static final int READ_CHUNK = 4096;

    private final SerialSettings settings;
    private final Object writeLock = new Object();
    private volatile Session session;

    public SerialTransport(SerialSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public SerialSettings settings() {
        return settings;
    }

    @Override
    public synchronized void open(Listener listener) throws IOException {
        Objects.requireNonNull(listener, "listener");
        if (session != null) {
            throw new IllegalStateException(describe() + " is already open");
        }
        Path device = resolveDevice();
        SerialPort port = openPort(device);
        flushStaleInput(port);
        Session opened = new Session(port, device, listener);
        session = opened;
        opened.reader.start();
    }

    @Override
    public void send(Packet packet) throws IOException {
        byte[] bytes = packet.payload();
        Session current = session;
        if (current == null) {
            throw new IOException(describe() + " is not open");
        }
        synchronized (writeLock) {
            int written = current.port.writeBytes(bytes, bytes.length);
            if (written != bytes.length) {
                throw new IOException("Writing to " + settings.port() + " failed after " + Math.max(written, 0)
                        + " of " + bytes.length + " bytes (error " + current.port.getLastErrorCode() + ")");
            }
        }
    }

    @Override
    public boolean isOpen() {
        return session != null;
    }

    @Override
    public String describe() {
        return "serial " + settings.describe();
    }

    @Override
    public void close() {
        Session current;
        synchronized (this) {
            current = session;
            session = null;
        }
        if (current != null) {
            current.end();
        }
    }

    /** Follows symlinks now rather than inside jSerialComm, to tell a missing port from a broken one. */
    private Path resolveDevice() throws IOException {
        try {
            return Path.of(settings.port()).toRealPath();
        } catch (NoSuchFileException e) {
            throw new IOException("Serial port " + settings.port() + " does not exist", e);
        }
    }

    private SerialPort openPort(Path device) throws IOException {
        SerialPort port;
        try {
            port = SerialPort.getCommPort(device.toString());
        } catch (SerialPortInvalidPortException e) {
            throw new IOException("Serial port " + settings.port() + " (" + device + ") cannot be used", e);
        }
        configure(port);
        // No safety sleep: reopening is already paced by the pipeline's reconnect backoff.
        if (!port.openPort(0)) {
            throw new IOException("Cannot open serial port " + settings.port() + " (" + device + "): error "
                    + port.getLastErrorCode() + ", is it a serial device and free?");
        }
        return port;
    }

    private void configure(SerialPort port) {
        port.setComPortParameters(settings.baud(), settings.dataBits(), stopBits(settings.stopBits()),
                parity(settings.parity()));
        port.setFlowControl(flowControl(settings.flowControl()));
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, (int) READ_POLL.toMillis(), 0);
    }

    /**
     * Bytes that waited in the driver while nobody had the port open answer an earlier
     * conversation; handing them to a new one could pair an old reply with a new command.
     */
    private static void flushStaleInput(SerialPort port) {
        port.flushIOBuffers();
    }

    private static int stopBits(SerialSettings.StopBits stopBits) {
        return switch (stopBits) {
            case ONE -> SerialPort.ONE_STOP_BIT;
            case ONE_AND_HALF -> SerialPort.ONE_POINT_FIVE_STOP_BITS;
            case TWO -> SerialPort.TWO_STOP_BITS;
        };
    }

    private static int parity(SerialSettings.Parity parity) {
        return switch (parity) {
            case NONE -> SerialPort.NO_PARITY;
            case EVEN -> SerialPort.EVEN_PARITY;
            case ODD -> SerialPort.ODD_PARITY;
            case MARK -> SerialPort.MARK_PARITY;
            case SPACE -> SerialPort.SPACE_PARITY;
        };
    }

    private static int flowControl(SerialSettings.FlowControl flowControl) {
        return switch (flowControl) {
            case NONE -> SerialPort.FLOW_CONTROL_DISABLED;
            case RTS_CTS -> SerialPort.FLOW_CONTROL_RTS_ENABLED | SerialPort.FLOW_CONTROL_CTS_ENABLED;
            case XON_XOFF -> SerialPort.FLOW_CONTROL_XONXOFF_IN_ENABLED | SerialPort.FLOW_CONTROL_XONXOFF_OUT_ENABLED;
        };
    }

    /** One open period of the port: from {@link #open} to {@link #close} or loss. */
    private final class Session {
        final SerialPort port;
        final Path device;
        final Listener listener;
        final Thread reader;
        /** Set once, by whichever comes first: close or loss; the other then does nothing. */
        final AtomicBoolean ended = new AtomicBoolean();

        Session(SerialPort port, Path device, Listener listener) {
            this.port = port;
            this.device = device;
            this.listener = listener;
            this.reader = new Thread(this::readLoop, "serial-reader " + settings.port());
            this.reader.setDaemon(true);
        }

        private void readLoop() {
            byte[] buffer = new byte[READ_CHUNK];
            while (!ended.get()) {
                int n = port.readBytes(buffer, buffer.length);
                if (ended.get()) {
                    return;
                }
                if (n > 0) {
                    deliver(Arrays.copyOf(buffer, n));
                } else if (n < 0) {
                    lost("reading " + settings.port() + " failed (error " + port.getLastErrorCode() + ")");
                } else if (!Files.exists(device)) {
                    lost(settings.port() + " (" + device + ") is gone");
                }
            }
        }

        private void deliver(byte[] chunk) {
            try {
                listener.received(Packet.bytes(chunk));
            } catch (RuntimeException e) {
                // A listener bug must not take the link down with it: the next bytes still count.
                LOG.log(Level.ERROR, "Listener of " + describe() + " failed on " + chunk.length + " bytes", e);
            }
        }

        private void lost(String reason) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            synchronized (SerialTransport.this) {
                if (session == this) {
                    session = null;
                }
            }
            port.closePort();
            LOG.log(Level.WARNING, "Serial link lost: " + reason);
            try {
                listener.lost(reason);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "Listener of " + describe() + " failed on link loss", e);
            }
        }

        void end() {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            stopReader();
            port.closePort();
        }

        /** The port is closed only once the reader left its read, never under a running read. */
        private void stopReader() {
            if (Thread.currentThread() == reader) {
                return;
            }
            try {
                reader.join(READER_STOP.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
