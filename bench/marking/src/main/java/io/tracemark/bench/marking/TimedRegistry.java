package io.tracemark.bench.marking;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.tracemark.fixtures.marker.LedgerRegistry;
import io.tracemark.marker.MarkOrder;
import io.tracemark.marker.pipeline.MarkingRegistry;
import io.tracemark.marker.verify.Grade;

/**
 * The strict in-memory registry, with the time of every step the pipeline persisted. A code's
 * MARKED (no camera) or VERIFIED (camera) is the moment the pipeline settled it: after that call
 * returns the pipeline releases the item, so these times are the pipeline's own output rate.
 */
final class TimedRegistry implements MarkingRegistry {

    private final LedgerRegistry ledger;
    private final Map<String, Long> claimed = new HashMap<>();
    private final Map<String, Long> marked = new HashMap<>();
    private final List<String> settledIds = new ArrayList<>();
    private final List<Long> settledNanos = new ArrayList<>();
    private final boolean settleOnVerified;
    private volatile int settled;
    private volatile long voided;
    /** The count a waiter is waiting for; the driver thread wakes it only when that is reached. */
    private int awaited = Integer.MAX_VALUE;

    /** @param settleOnVerified true when a camera is fitted, so that a code is settled when VERIFIED */
    TimedRegistry(LedgerRegistry ledger, boolean settleOnVerified) {
        this.ledger = ledger;
        this.settleOnVerified = settleOnVerified;
    }

    LedgerRegistry ledger() {
        return ledger;
    }

    @Override
    public List<MarkOrder> claim(int count) {
        long now = System.nanoTime();
        List<MarkOrder> orders = ledger.claim(count);
        synchronized (this) {
            orders.forEach(order -> claimed.put(order.id(), now));
        }
        return orders;
    }

    @Override
    public void marked(String id) {
        long now = System.nanoTime();
        ledger.marked(id);
        synchronized (this) {
            marked.put(id, now);
        }
        if (!settleOnVerified) {
            settle(id);
        }
    }

    @Override
    public void verified(String id, Grade grade) {
        ledger.verified(id, grade);
        if (settleOnVerified) {
            settle(id);
        }
    }

    @Override
    public void voided(String id, String reason) {
        ledger.voided(id, reason);
        synchronized (this) {
            voided++;
        }
    }

    @Override
    public List<Unsettled> unsettled() {
        return ledger.unsettled();
    }

    private void settle(String id) {
        long now = System.nanoTime();
        synchronized (this) {
            settledIds.add(id);
            settledNanos.add(now);
            settled = settledIds.size();
            if (settled >= awaited) {
                notifyAll();
            }
        }
    }

    /**
     * Waits until {@code count} codes are settled, or until {@code deadlineNanos} ({@link System#nanoTime});
     * true when they are. Woken once, when the count is reached, rather than polling: on two busy
     * cores a poller's own wake-ups would compete with the run it measures.
     */
    synchronized boolean awaitSettled(int count, long deadlineNanos) throws InterruptedException {
        awaited = count;
        try {
            long left;
            while (settledIds.size() < count && (left = deadlineNanos - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return settledIds.size() >= count;
        } finally {
            awaited = Integer.MAX_VALUE;
        }
    }

    /** Codes settled so far; cheap enough to poll. */
    int settledCount() {
        return settled;
    }

    long voidedCount() {
        return voided;
    }

    /**
     * From MARKED to VERIFIED, for the codes settled from index {@code from} (inclusive) to {@code to}
     * (exclusive): the camera's wait for the photo, decoding and grading, which the pipeline does
     * right after persisting MARKED.
     */
    synchronized long[] verifyNanos(int from, int to) {
        long[] spans = new long[Math.max(0, to - from)];
        int n = 0;
        for (int i = from; i < to && i < settledIds.size(); i++) {
            Long at = marked.get(settledIds.get(i));
            if (at != null) {
                spans[n++] = settledNanos.get(i) - at;
            }
        }
        return java.util.Arrays.copyOf(spans, n);
    }

    /** When the pipeline persisted {@code id} as MARKED; null if it never did. */
    synchronized Long markedNanos(String id) {
        return marked.get(id);
    }

    synchronized List<String> settledIds() {
        return List.copyOf(settledIds);
    }

    synchronized long[] settledNanos() {
        return settledNanos.stream().mapToLong(Long::longValue).toArray();
    }

    synchronized Map<String, Long> claimedNanos() {
        return Map.copyOf(claimed);
    }
}
