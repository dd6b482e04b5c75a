package io.tracemark.marker;

/**
 * What a marker without a mark log holds: the content set for its next mark, read back from it,
 * and its mark counter. Between two reads, the counter tells how many items were marked; the
 * content tells with what.
 *
 * @param content   the content the marker would mark now, or null when none is set
 * @param markCount the marker's count of marks, which grows by one with every mark
 */
public record MarkerHold(String content, long markCount) {
}
