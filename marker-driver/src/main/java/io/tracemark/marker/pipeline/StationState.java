package io.tracemark.marker.pipeline;

/**
 * The marking station's state machine, as the pipeline drives it.
 *
 * <pre>
 * CONNECTING → RECONCILING → RUNNING ⇄ PAUSED
 *      ↑            ↑            │
 *      └── DISCONNECTED ←────────┘ (link lost; reconnect with backoff, then reconcile)
 * RUNNING/PAUSED/DISCONNECTED → STOPPING → FINISHED;  any → FAILED (the registry could not persist a step)
 * </pre>
 */
public enum StationState {
    CONNECTING, RECONCILING, RUNNING, PAUSED, DISCONNECTED, STOPPING, FINISHED, FAILED;

    public boolean ended() {
        return this == FINISHED || this == FAILED;
    }
}
