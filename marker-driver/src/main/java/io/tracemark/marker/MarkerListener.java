package io.tracemark.marker;

/** What a marker says without being asked. Called on the dialect's receiving thread: return quickly. */
public interface MarkerListener {

    void markCompleted(MarkReport report);

    void fault(MarkerFault fault);

    /** The link is gone, or the dialect gave up on it; the protocol object is finished. */
    void linkDown(String reason);

    /**
     * A message that answered no waiting command could not be understood and was dropped; the
     * conversation goes on. If it may have been a mark completion, {@code error} says so, and the
     * completion must be recovered from {@link MarkerProtocol#markLog}. Kind is always PROTOCOL.
     */
    default void protocolError(MarkerException error) {
    }
}
