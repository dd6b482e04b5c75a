package io.tracemark.marker.transport;

import java.io.IOException;

/**
 * A link to one marker: a serial port or an MQTT session. A transport moves bytes and reports
 * the link's health; what the bytes mean is the dialect's business.
 *
 * <p>A transport may be opened again after it was closed or lost: that is how a pipeline
 * reconnects after a pulled cable or a broker restart.
 */
public interface Transport extends AutoCloseable {

    /** Where inbound data and link loss are reported, on the transport's own thread. */
    interface Listener {
        void received(Packet packet);

        /** The link broke without {@link #close()} being called: cable pulled, port gone, broker lost. */
        void lost(String reason);
    }

    /** Opens the link. Fails at once, with the reason, when the port or broker cannot be reached. */
    void open(Listener listener) throws IOException;

    /** Sends one packet; returns once the bytes were handed to the port or the broker acknowledged them. */
    void send(Packet packet) throws IOException;

    boolean isOpen();

    /** A short human description for logs and alarms, e.g. "serial /dev/ttyUSB0 115200 8N1". */
    String describe();

    @Override
    void close();
}
