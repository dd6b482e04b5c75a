package io.tracemark.marker;

import io.tracemark.marker.transport.Transport;

/**
 * A marker vendor's language. Adding a vendor is one class implementing this interface (listed in
 * {@code META-INF/services/io.tracemark.marker.Dialect}) and one document in {@code docs/markers/}.
 */
public interface Dialect {

    /** The name stations are configured with, e.g. "ascii", "framed", "mqtt". */
    String name();

    /** Opens the transport and starts talking; fails with LINK_DOWN if the marker cannot be reached. */
    MarkerProtocol connect(Transport transport, MarkerListener listener, MarkerTimeouts timeouts);
}
