package io.tracemark.marker.pipeline;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of a marking run, as shown live to operators.
 *
 * @param sent           codes handed to the marker (persisted SENT first)
 * @param marked         codes the marker reported etched
 * @param verified       codes whose mark read back at or above the minimum grade
 * @param voided         codes voided: failed, unreadable, doubtful after a fault, or never etched
 * @param released       items let through the reject gate with a good code
 * @param markerQueue    codes waiting in the marker's queue, as the pipeline knows it
 * @param itemsPerSecond released items per second over the last few seconds
 * @param alarms         the latest alarms, newest last
 */
public record PipelineStatus(StationState state, long sent, long marked, long verified, long voided, long released,
        int markerQueue, double itemsPerSecond, List<String> alarms, Instant at) {

    public PipelineStatus {
        alarms = List.copyOf(alarms);
    }

    /** Codes sent and not yet settled. */
    public long inFlight() {
        return sent - voided - released;
    }
}
