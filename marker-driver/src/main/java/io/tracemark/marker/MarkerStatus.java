package io.tracemark.marker;

import java.util.List;

/**
 * A marker's answer to a status query.
 *
 * @param ready    the marker accepts and marks orders (laser armed, no fault latched)
 * @param job      the selected job (layout), or null when none is selected
 * @param queued   ids of the orders waiting in the marker's queue, oldest first
 * @param capacity how many orders the marker's queue holds at most
 * @param bootId   changes each time the marker starts: a different value means its queue was lost
 * @param fault    the latched fault code, or null
 */
public record MarkerStatus(boolean ready, String job, List<String> queued, int capacity, long bootId, String fault) {

    public MarkerStatus {
        queued = List.copyOf(queued);
    }
}
