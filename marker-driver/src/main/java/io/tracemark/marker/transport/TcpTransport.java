package io.tracemark.marker.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A marker's Ethernet command port: a TCP connection carrying the same bytes as its RS-232C
 * port. Inbound bytes are delivered as {@link Packet#bytes} chunks on a reader thread of its own,
 * like {@link SerialTransport}; the link counts as lost when the marker closes the connection or
 * a read fails (reset, keep-alive gave up). Reopening after a loss connects afresh, which is how
 * the pipeline reconnects; each connection starts with no stale bytes, as a new serial session does.
 */
public final class TcpTransport implements Transport {

    private static final System.Logger LOG = System.getLogger(TcpTransport.class.getName());
    private static final int READ_CHUNK = 4096;

    private final TcpSettings settings;
    private final Object writeLock = new Object();
    private volatile Session session;

    public TcpTransport(TcpSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public TcpSettings settings() {
        return settings;
    }

    @Override
    public synchronized void open(Listener listener) throws IOException {
        Objects.requireNonNull(listener, "listener");
        if (session != null) {
            throw new IllegalStateException(describe() + " is already open");
        }
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(settings.keepAlive());
            socket.connect(new InetSocketAddress(settings.host(), settings.port()),
                    (int) settings.connectTimeout().toMillis());
        } catch (SocketTimeoutException e) {
            socket.close();
            throw new IOException("No connection to " + settings.describe() + " within "
                    + settings.connectTimeout().toMillis() + " ms", e);
        } catch (IOException e) {
            socket.close();
            throw new IOException("Cannot connect to " + settings.describe() + ": " + e.getMessage(), e);
        }
        Session opened = new Session(socket, listener);
        session = opened;
        opened.reader.start();
    }

    @Override
    public void send(Packet packet) throws IOException {
        Session current = session;
        if (current == null) {
            throw new IOException(describe() + " is not open");
        }
        synchronized (writeLock) {
            try {
                current.out.write(packet.payload());
                current.out.flush();
            } catch (IOException e) {
                current.lost("writing to " + settings.describe() + " failed: " + e.getMessage());
                throw new IOException("Writing to " + settings.describe() + " failed: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public boolean isOpen() {
        return session != null;
    }

    @Override
    public String describe() {
        return "tcp " + settings.describe();
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

    /** One connection: from {@link #open} to {@link #close} or loss. */
    private final class Session {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final Listener listener;
        final Thread reader;
        final AtomicBoolean ended = new AtomicBoolean();

        Session(Socket socket, Listener listener) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
            this.listener = listener;
            this.reader = new Thread(this::readLoop, "tcp-reader " + settings.describe());
            this.reader.setDaemon(true);
        }

        private void readLoop() {
            byte[] buffer = new byte[READ_CHUNK];
            while (!ended.get()) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (IOException e) {
                    lost("reading from " + settings.describe() + " failed: " + e.getMessage());
                    return;
                }
                if (n < 0) {
                    lost(settings.describe() + " closed the connection");
                    return;
                }
                try {
                    listener.received(Packet.bytes(Arrays.copyOf(buffer, n)));
                } catch (RuntimeException e) {
                    LOG.log(Level.ERROR, "Listener of " + describe() + " failed on " + n + " bytes", e);
                }
            }
        }

        void lost(String reason) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            synchronized (TcpTransport.this) {
                if (session == this) {
                    session = null;
                }
            }
            closeSocket();
            LOG.log(Level.WARNING, "TCP link lost: " + reason);
            try {
                listener.lost(reason);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "Listener of " + describe() + " failed on link loss", e);
            }
        }

        void end() {
            if (ended.compareAndSet(false, true)) {
                closeSocket();
            }
        }

        private void closeSocket() {
            try {
                socket.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "Closing " + settings.describe() + " failed", e);
            }
        }
    }
}
