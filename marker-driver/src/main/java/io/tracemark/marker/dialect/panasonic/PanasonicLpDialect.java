package io.tracemark.marker.dialect.panasonic;

import io.tracemark.marker.Dialect;
import io.tracemark.marker.MarkerListener;
import io.tracemark.marker.MarkerProtocol;
import io.tracemark.marker.MarkerTimeouts;
import io.tracemark.marker.transport.TcpTransport;
import io.tracemark.marker.transport.Transport;

/**
 * Panasonic LP series laser markers (LP-GS, LP-RC, LP-RF, LP-RV in LP-400/V compatible command
 * mode, and LP-400/LP-V) over RS-232C or Ethernet, byte for byte as the Serial Communication
 * Command Manual ME-LP-GS-SR-COMP-3 defines it; docs/markers/panasonic-lp.md cites the page of
 * every command used. Configured as {@code panasonic-lp} or {@code panasonic-lp:checksum,crlf,...}
 * (see {@link LpOptions#parse}).
 */
public final class PanasonicLpDialect implements Dialect {

    public static final String NAME = "panasonic-lp";

    private final LpOptions options;

    /** The marker's initial communication settings; the service registry makes it this way. */
    public PanasonicLpDialect() {
        this(LpOptions.DEFAULTS);
    }

    public PanasonicLpDialect(LpOptions options) {
        this.options = options;
    }

    public LpOptions options() {
        return options;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Dialect withOptions(String text) {
        return new PanasonicLpDialect(LpOptions.parse(text));
    }

    /**
     * Over Ethernet the marker takes no checksum and ends messages with CR only (ME-LP-GS-SR-COMP-3,
     * 2-3-1, p.31): options that ask otherwise are a configuration error, refused before connecting.
     */
    @Override
    public void checkTransport(Transport transport) {
        if (transport instanceof TcpTransport && (options.checksum() || options.crlf())) {
            throw new IllegalArgumentException("A Panasonic LP marker on Ethernet uses no checksum and CR as end code;"
                    + " drop the options checksum and crlf for " + transport.describe());
        }
    }

    @Override
    public MarkerProtocol connect(Transport transport, MarkerListener listener, MarkerTimeouts timeouts) {
        checkTransport(transport);
        return PanasonicLpProtocol.connect(transport, listener, timeouts, options);
    }
}
