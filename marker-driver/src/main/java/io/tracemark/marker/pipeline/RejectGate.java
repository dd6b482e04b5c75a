package io.tracemark.marker.pipeline;

/**
 * The reject station downstream of the marker. It is fail-safe: an item it has no release for
 * when it arrives is pushed off the line, so only items the pipeline released ever leave.
 */
public interface RejectGate {

    /**
     * Lets the item carrying {@code markId} pass. False when the item already reached the gate
     * and was rejected: its code must then be voided.
     */
    boolean release(String markId);

    /** Pushes the item off the line when it arrives (the default; saying so makes it immediate). */
    void reject(String markId);
}
