package io.tracemark.marker;

import java.util.List;

/**
 * One open conversation with a marker in one dialect. Commands block until the marker answers
 * or a named timeout of {@link MarkerTimeouts} runs out; they may be called from one thread at a
 * time. After {@link MarkerListener#linkDown} every command fails with {@code LINK_DOWN}.
 */
public interface MarkerProtocol extends AutoCloseable {

    MarkerStatus status();

    /** Selects the job (layout) whose variable field the queued orders fill. */
    void selectJob(String job);

    /** Appends one order to the marker's queue; the marker etches it on the next item that passes. */
    void enqueue(MarkOrder order);

    /**
     * Discards every queued order. Returns only after an item being marked at that moment is
     * finished, so that its completion has been reported or appears in {@link #markLog}.
     */
    void clearQueue();

    /** The marker's own record of its last marks, newest last, at most {@code max} of them. */
    List<MarkReport> markLog(int max);

    /** What this marker holds and tells; the Tracemark dialects hold a queue and keep a log. */
    default MarkerCapabilities capabilities() {
        return MarkerCapabilities.QUEUE_WITH_LOG;
    }

    /**
     * For a marker without a mark log ({@link MarkerCapabilities#markLog()} false): the content it
     * holds for the next mark and its mark counter, read from the marker itself.
     */
    default MarkerHold hold() {
        throw new UnsupportedOperationException("This marker keeps a mark log; ask markLog instead");
    }

    /** What {@link #hold()} reads back once {@code order} is set: its content in the marker's own form. */
    default String heldContent(MarkOrder order) {
        return order.content();
    }

    @Override
    void close();
}
