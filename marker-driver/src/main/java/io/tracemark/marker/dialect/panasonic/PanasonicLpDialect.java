package io.tracemark.marker.dialect.panasonic;

import io.tracemark.marker.Dialect;
import io.tracemark.marker.MarkerListener;
import io.tracemark.marker.MarkerProtocol;
import io.tracemark.marker.MarkerTimeouts;
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

    @Override
    public MarkerProtocol connect(Transport transport, MarkerListener listener, MarkerTimeouts timeouts) {
        return PanasonicLpProtocol.connect(transport, listener, timeouts, options);
    }
}
