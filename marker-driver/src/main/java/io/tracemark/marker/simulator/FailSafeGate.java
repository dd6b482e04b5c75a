package io.tracemark.marker.simulator;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

import io.tracemark.marker.pipeline.RejectGate;

/**
 * The reject gate at the end of a simulated line, fail-safe: an item passes only if its release
 * came before it did, and was not withdrawn. Every simulated marker's line ends in one.
 */
public final class FailSafeGate implements RejectGate {

    private final Consumer<LineItem> shipped;
    private final Set<String> released = new HashSet<>();
    private final Set<String> arrived = new HashSet<>();
    private final Set<String> rejectedIds = new HashSet<>();
    private long rejected;

    /** @param shipped told of every item that passes, on the line's thread */
    public FailSafeGate(Consumer<LineItem> shipped) {
        this.shipped = shipped;
    }

    @Override
    public synchronized boolean release(String markId) {
        if (arrived.contains(markId)) {
            return false;
        }
        released.add(markId);
        return true;
    }

    @Override
    public synchronized void reject(String markId) {
        rejectedIds.add(markId);
    }

    /** {@code item} reaches the gate: it ships if released, else it is pushed off the line. */
    public void arrives(LineItem item) {
        boolean pass;
        synchronized (this) {
            arrived.add(item.markId());
            pass = item.markId() != null && released.remove(item.markId()) && !rejectedIds.contains(item.markId());
            if (!pass) {
                rejected++;
            }
        }
        if (pass) {
            shipped.accept(item);
        }
    }

    /** Items pushed off the line so far. */
    public synchronized long rejected() {
        return rejected;
    }
}
