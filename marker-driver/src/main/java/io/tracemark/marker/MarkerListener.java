package io.tracemark.marker;

/** What a marker says without being asked. Called on the dialect's receiving thread: return quickly. */
public interface MarkerListener {

    void markCompleted(MarkReport report);

    void fault(MarkerFault fault);

    /** The link is gone, or the dialect gave up on it; the protocol object is finished. */
    void linkDown(String reason);
}
