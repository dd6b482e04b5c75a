package io.tracemark.marker;

/**
 * What a marker can tell and hold, so that the pipeline keeps its guarantees with what there is.
 * A Tracemark dialect marker holds a queue and keeps a mark log with the id of every mark; most
 * vendors' markers hold one pending string, mark it on each trigger, and count their marks.
 *
 * @param queueDepth   how many orders the marker holds at once; the pipeline never sends more
 * @param markLog      {@link MarkerProtocol#markLog} tells, by id, which orders were marked
 * @param readBack     {@link MarkerProtocol#hold} reads back the content set for the next mark
 * @param markCounter  {@link MarkerProtocol#hold} reads a counter that counts every mark
 */
public record MarkerCapabilities(int queueDepth, boolean markLog, boolean readBack, boolean markCounter) {

    /** The Tracemark dialects: a queue of orders known by id and a log of marks by id. */
    public static final MarkerCapabilities QUEUE_WITH_LOG = new MarkerCapabilities(Integer.MAX_VALUE, true, false,
            false);

    public MarkerCapabilities {
        if (queueDepth < 1) {
            throw new IllegalArgumentException("A marker holds at least one order, not " + queueDepth);
        }
        if (!markLog && !(readBack && markCounter)) {
            // Without a log, only the counter and the read-back together tell a mark from none.
            throw new IllegalArgumentException("A marker without a mark log needs read-back and a mark counter");
        }
    }
}
