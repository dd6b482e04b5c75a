package io.tracemark.trace.input;

/** How a write that takes a request id tells a retry from a first call: movements and allocations alike. */
public final class Idempotency {

    /** Response header: {@code true} when the answer is the stored one of an earlier request with the same id. */
    public static final String REPLAYED = "Idempotent-Replayed";

    private Idempotency() {
    }
}
