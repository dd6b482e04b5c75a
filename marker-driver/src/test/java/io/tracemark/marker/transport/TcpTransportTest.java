package io.tracemark.marker.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The Ethernet link to a marker, against a real loopback socket standing in for the marker's port. */
class TcpTransportTest {

    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> lost = new LinkedBlockingQueue<>();
    private final Transport.Listener listener = new Transport.Listener() {
        @Override
        public void received(Packet packet) {
            received.add(packet.text());
        }

        @Override
        public void lost(String reason) {
            lost.add(reason);
        }
    };

    @Test
    void bytesGoBothWaysAMarkerClosingIsALossAndReopeningConnectsAfresh() throws Exception {
        try (ServerSocket marker = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            TcpTransport transport = new TcpTransport(TcpSettings.parse("127.0.0.1:" + marker.getLocalPort()));
            transport.open(listener);
            try (Socket accepted = marker.accept()) {
                transport.send(Packet.bytes("\u0002STSR\r".getBytes(StandardCharsets.US_ASCII)));
                byte[] request = new byte[6];
                assertEquals(6, accepted.getInputStream().readNBytes(request, 0, 6));
                assertArrayEquals("\u0002STSR\r".getBytes(StandardCharsets.US_ASCII), request);
                accepted.getOutputStream().write("\u000600\r".getBytes(StandardCharsets.US_ASCII));
                assertEquals("\u000600\r", received.poll(2, TimeUnit.SECONDS));
            }
            String reason = lost.poll(2, TimeUnit.SECONDS);
            assertTrue(reason != null && reason.contains("closed the connection"), reason);
            assertFalse(transport.isOpen());
            assertThrows(IOException.class, () -> transport.send(Packet.bytes(new byte[] { 1 })));

            transport.open(listener);
            try (Socket again = marker.accept()) {
                assertTrue(transport.isOpen());
                // Closed while the marker still holds its end: its own close afterwards must not count.
                transport.close();
            }
            assertEquals(null, lost.poll(200, TimeUnit.MILLISECONDS), "closing is not a loss");
        }
    }

    @Test
    void aPortNobodyListensOnFailsAtOnceNamingTheAddress() throws Exception {
        int free;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = probe.getLocalPort();
        }
        TcpTransport transport = new TcpTransport(new TcpSettings("127.0.0.1", free, Duration.ofMillis(500), true));
        IOException e = assertThrows(IOException.class, () -> transport.open(listener));
        assertTrue(e.getMessage().contains("127.0.0.1:" + free), e.getMessage());
        assertFalse(transport.isOpen());
    }

    @Test
    void addressesReadAsHostAndPortAndBadOnesAreNamed() {
        assertEquals(new TcpSettings("192.168.0.10", 9094, TcpSettings.DEFAULT_CONNECT_TIMEOUT, true),
                TcpSettings.parse("192.168.0.10:9094"));
        assertEquals("fe80::1", TcpSettings.parse("[fe80::1]:9094").host());
        assertEquals("[fe80::1]:9094", TcpSettings.parse("[fe80::1]:9094").describe());
        for (String bad : new String[] { "marker", "marker:", ":9094", "marker:http", "marker:70000" }) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TcpSettings.parse(bad));
            assertTrue(e.getMessage().contains(bad.isEmpty() ? "host" : bad.contains("70000") ? "70000" : bad)
                    || e.getMessage().contains("port"), e.getMessage());
        }
        assertInstanceOf(TcpTransport.class, ByteLinks.of("tcp://192.168.0.10:9094", "115200,8N1"));
        assertInstanceOf(SerialTransport.class, ByteLinks.of("/dev/ttyUSB0", "9600,8E1"));
        assertEquals("tcp 192.168.0.10:9094", ByteLinks.of("tcp://192.168.0.10:9094", "115200").describe());
    }
}
