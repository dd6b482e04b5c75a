package io.tracemark.marker.dialect.framed;

import java.io.IOException;

import io.tracemark.marker.Dialect;
import io.tracemark.marker.MarkerException;
import io.tracemark.marker.MarkerException.Kind;
import io.tracemark.marker.MarkerListener;
import io.tracemark.marker.MarkerProtocol;
import io.tracemark.marker.MarkerTimeouts;
import io.tracemark.marker.dialect.message.Conversation;
import io.tracemark.marker.transport.Transport;

/**
 * The "framed" dialect: the Tracemark command set inside checksummed, numbered, acknowledged
 * frames, specified byte for byte in docs/markers/framed.md. Damaged frames are repeated, repeated
 * frames are acted on once, events are delivered even across a reconnect, and the link is
 * declared down after {@link MarkerTimeouts#maxTransmissions()} unanswered sends of one frame.
 *
 * <p>Connecting opens the transport and sends a RESET frame; no acknowledgement means LINK_DOWN.
 */
public final class FramedDialect implements Dialect {

    public static final String NAME = "framed";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public MarkerProtocol connect(Transport transport, MarkerListener listener, MarkerTimeouts timeouts) {
        FramedLink link = new FramedLink(transport, timeouts);
        Conversation conversation = new Conversation(link, listener, timeouts);
        link.deliverTo(conversation);
        try {
            transport.open(link);
        } catch (IOException e) {
            throw new MarkerException(Kind.LINK_DOWN, "Cannot open " + transport.describe() + ": " + e.getMessage(), e);
        }
        try {
            link.reset();
        } catch (IOException e) {
            conversation.close();
            throw new MarkerException(Kind.LINK_DOWN, "No marker answers in " + NAME + " on " + transport.describe()
                    + ": " + e.getMessage(), e);
        }
        return conversation;
    }
}
