package io.tracemark.bench.marking;

import java.util.concurrent.atomic.AtomicLong;

import io.tracemark.marker.pipeline.RejectGate;

/** The simulated reject gate, counting the releases that let an item through. */
final class CountingGate implements RejectGate {

    private final RejectGate delegate;
    private final AtomicLong released = new AtomicLong();
    private final AtomicLong late = new AtomicLong();

    CountingGate(RejectGate delegate) {
        this.delegate = delegate;
    }

    @Override
    public boolean release(String markId) {
        boolean passed = delegate.release(markId);
        (passed ? released : late).incrementAndGet();
        return passed;
    }

    @Override
    public void reject(String markId) {
        delegate.reject(markId);
    }

    /** Releases in time: the item will ship. */
    long released() {
        return released.get();
    }

    /** Releases that came after the item had reached the gate and been pushed off. */
    long late() {
        return late.get();
    }
}
