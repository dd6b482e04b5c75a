package io.tracemark.marker.pipeline;

import io.tracemark.marker.Dialect;
import io.tracemark.marker.MarkerTimeouts;
import io.tracemark.marker.transport.Transport;

/** How a station reaches its marker: in which dialect, over which transport, with which timeouts. */
public record MarkerLink(Dialect dialect, Transport transport, MarkerTimeouts timeouts) {

    public String describe() {
        return dialect.name() + " over " + transport.describe();
    }
}
