package io.tracemark.marker.transport;

/**
 * The byte-stream link a station names with one address: {@code tcp://host:port} for a marker's
 * Ethernet command port, anything else a serial device path with its line specification.
 */
public final class ByteLinks {

    public static final String TCP_SCHEME = "tcp://";

    private ByteLinks() {
    }

    /** A transport for {@code address}; {@code serialSpec} (e.g. "115200,8N1") applies to serial ports only. */
    public static Transport of(String address, String serialSpec) {
        if (address != null && address.startsWith(TCP_SCHEME)) {
            return new TcpTransport(TcpSettings.parse(address.substring(TCP_SCHEME.length())));
        }
        return new SerialTransport(SerialSettings.parse(address, serialSpec));
    }
}
