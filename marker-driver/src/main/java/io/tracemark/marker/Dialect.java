package io.tracemark.marker;

import io.tracemark.marker.transport.Transport;

/**
 * A marker vendor's language. Adding a vendor is one class implementing this interface (listed in
 * {@code META-INF/services/io.tracemark.marker.Dialect}) and one document in {@code docs/markers/}.
 */
public interface Dialect {

    /** The name stations are configured with, e.g. "ascii", "framed", "mqtt". */
    String name();

    /**
     * This dialect with options from a station's configuration, e.g. {@code "checksum,crlf"} for
     * {@code "panasonic-lp:checksum,crlf"}; the exception names an option it does not know.
     */
    default Dialect withOptions(String options) {
        throw new IllegalArgumentException("The " + name() + " dialect takes no options, not '" + options + "'");
    }

    /**
     * Refuses, with the reason, a transport this dialect cannot talk over as configured, without
     * opening it: a configuration is checked before it is stored.
     */
    default void checkTransport(Transport transport) {
    }

    /** Opens the transport and starts talking; fails with LINK_DOWN if the marker cannot be reached. */
    MarkerProtocol connect(Transport transport, MarkerListener listener, MarkerTimeouts timeouts);
}
