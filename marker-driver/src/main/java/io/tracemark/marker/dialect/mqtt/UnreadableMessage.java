package io.tracemark.marker.dialect.mqtt;

/**
 * A message from the marker that is not what docs/markers/mqtt.md describes. {@code msgId} is the
 * message id found in it despite the damage, or null: it tells whether it may be the answer a
 * command is waiting for.
 */
final class UnreadableMessage extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient String msgId;

    UnreadableMessage(String message, String msgId) {
        super(message);
        this.msgId = msgId;
    }

    UnreadableMessage(String message, String msgId, Throwable cause) {
        super(message, cause);
        this.msgId = msgId;
    }

    String msgId() {
        return msgId;
    }
}
