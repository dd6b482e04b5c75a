package io.tracemark.marker;

/** A command to the marker did not succeed; {@link #kind()} tells the pipeline what to do about it. */
public class MarkerException extends RuntimeException {

    public enum Kind {
        /** No reply within the named timeout: the command may or may not have taken effect. */
        TIMEOUT,
        /** The marker answered with an error: the command did not take effect. */
        REJECTED,
        /** The link is down, or was declared down after the allowed retransmissions. */
        LINK_DOWN,
        /** The marker answered something this dialect cannot understand. */
        PROTOCOL
    }

    private final Kind kind;

    public MarkerException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public MarkerException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** Whether the command might have reached the marker and acted although no success was seen. */
    public boolean outcomeUnknown() {
        return kind == Kind.TIMEOUT || kind == Kind.LINK_DOWN;
    }
}
