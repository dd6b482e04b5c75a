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

    @Override
    void close();
}
