package io.tracemark.marker.pipeline;

import java.util.List;

import io.tracemark.marker.MarkOrder;
import io.tracemark.marker.verify.Grade;

/**
 * The code registry as the marking pipeline sees it. Every call persists its step before it
 * returns, and the pipeline acts only after it returned: a code is SENT before the marker gets
 * it, MARKED before it is read back, VERIFIED before its item is released.
 *
 * <p>trace-service implements it on its database; the station agent on its local journal.
 */
public interface MarkingRegistry {

    /**
     * Takes up to {@code count} fresh codes for this run and records them as SENT. Empty when none
     * can be had right now; the pipeline asks again at its next heartbeat.
     */
    List<MarkOrder> claim(int count);

    void marked(String id);

    void verified(String id, Grade grade);

    /** Voids the code forever: it is never sent again, whatever happened to its item. */
    void voided(String id, String reason);

    /** One code this run had sent and not yet settled, as persisted: where a restarted pipeline resumes. */
    record Unsettled(MarkOrder order, boolean marked) {
    }

    /** Codes of this run that are SENT or MARKED: what a restarted pipeline must reconcile. */
    List<Unsettled> unsettled();
}
