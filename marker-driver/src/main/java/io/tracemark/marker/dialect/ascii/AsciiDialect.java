package io.tracemark.marker.dialect.ascii;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.tracemark.marker.Dialect;
import io.tracemark.marker.MarkerException;
import io.tracemark.marker.MarkerException.Kind;
import io.tracemark.marker.MarkerListener;
import io.tracemark.marker.MarkerProtocol;
import io.tracemark.marker.MarkerTimeouts;
import io.tracemark.marker.dialect.message.Conversation;
import io.tracemark.marker.transport.Packet;
import io.tracemark.marker.transport.Transport;

/**
 * The "ascii" dialect: the Tracemark command set as CR-terminated lines of printable ASCII,
 * specified byte for byte in docs/markers/ascii.md. It has no checksum: a damaged line is caught
 * only when it no longer parses. Prefer "framed" on long or noisy lines.
 *
 * <p>Connecting opens the transport and asks for the status once, so that a port with no marker
 * behind it, or one speaking at another baud rate, fails at once with LINK_DOWN.
 */
public final class AsciiDialect implements Dialect {

    public static final String NAME = "ascii";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public MarkerProtocol connect(Transport transport, MarkerListener listener, MarkerTimeouts timeouts) {
        Conversation conversation = new Conversation(new LineLink(transport), listener, timeouts);
        LineSplitter lines = new LineSplitter(conversation::received);
        try {
            transport.open(new Transport.Listener() {
                @Override
                public void received(Packet packet) {
                    lines.accept(packet.payload());
                }

                @Override
                public void lost(String reason) {
                    conversation.linkLost(reason);
                }
            });
        } catch (IOException e) {
            throw new MarkerException(Kind.LINK_DOWN, "Cannot open " + transport.describe() + ": " + e.getMessage(), e);
        }
        probe(conversation, transport);
        return conversation;
    }

    private static void probe(Conversation conversation, Transport transport) {
        try {
            conversation.status();
        } catch (MarkerException e) {
            conversation.close();
            throw new MarkerException(Kind.LINK_DOWN, "No marker answers in " + NAME + " on " + transport.describe()
                    + ": " + e.getMessage(), e);
        }
    }

    /** Each message goes out as one line ended by CR. */
    private record LineLink(Transport transport) implements Conversation.Link {

        @Override
        public void send(String message) throws IOException {
            transport.send(Packet.bytes((message + "\r").getBytes(StandardCharsets.US_ASCII)));
        }

        @Override
        public void close() {
            transport.close();
        }

        @Override
        public String describe() {
            return NAME + " over " + transport.describe();
        }
    }
}
