package io.tracemark.marker.pipeline;

/**
 * The marking station's state machine, as the pipeline drives it.
 *
 * <pre>
 * CONNECTING → RECONCILING → RUNNING ⇄ PAUSED
 *      ↑            ↑            │
 *      └── DISCONNECTED ←────────┘ (link lost; reconnect with backoff, then reconcile)
 * RUNNING/PAUSED/DISCONNECTED → STOPPING → FINISHED;  any → FAILED (the registry could not persist a step)
 * any → HALTED (its program is going away: codes in flight are left for the next start to reconcile)
 * </pre>
 */
public enum StationState {
    CONNECTING, RECONCILING, RUNNING, PAUSED, DISCONNECTED, STOPPING, FINISHED, FAILED, HALTED;

    /** The pipeline is done; a HALTED one left its run unfinished, to be resumed. */
    public boolean ended() {
        return this == FINISHED || this == FAILED || this == HALTED;
    }
}
