package io.tracemark.marker.transport;

import java.time.Duration;

/**
 * How to reach a marker's Ethernet command port.
 *
 * @param host           the marker's address or name
 * @param port           its command port
 * @param connectTimeout longest wait for the connection to be accepted
 * @param keepAlive      whether TCP keep-alive probes a silent connection, so that a marker that
 *                       vanished without closing (power cut, cable pulled) is noticed by the OS
 */
public record TcpSettings(String host, int port, Duration connectTimeout, boolean keepAlive) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);

    public TcpSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("A marker host is required, e.g. 192.168.0.10");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("A TCP port is 1 to 65535, not " + port + " for " + host);
        }
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("A connect timeout must be positive for " + host + ":" + port);
        }
    }

    /**
     * Reads {@code host:port}; an IPv6 address goes in brackets, {@code [fe80::1]:9094}. Keep-alive
     * is on and the connect timeout is {@link #DEFAULT_CONNECT_TIMEOUT}.
     */
    public static TcpSettings parse(String address) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("A marker address is host:port, e.g. 192.168.0.10:9094");
        }
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("A marker address is host:port, not '" + address + "'");
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("The port in '" + address + "' is not a number");
        }
        return new TcpSettings(host, port, DEFAULT_CONNECT_TIMEOUT, true);
    }

    public String describe() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
