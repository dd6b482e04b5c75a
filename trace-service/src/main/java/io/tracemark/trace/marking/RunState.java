package io.tracemark.trace.marking;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a marking run stands. A run is active (it owns its line's marker) while RUNNING, PAUSED
 * or STOPPING; it ends FINISHED when its count of good items was reached, STOPPED when someone
 * stopped it, FAILED when the marker could not be driven.
 */
public enum RunState {
    RUNNING, PAUSED, STOPPING, FINISHED, STOPPED, FAILED;

    public static final Set<RunState> ACTIVE = EnumSet.of(RUNNING, PAUSED, STOPPING);

    public boolean active() {
        return ACTIVE.contains(this);
    }
}
