package io.tracemark.marker;

/** What the marker says about one mark it finished: etched, or failed with a reason. */
public record MarkReport(String id, boolean marked, String detail) {

    public static MarkReport marked(String id) {
        return new MarkReport(id, true, null);
    }

    public static MarkReport failed(String id, String detail) {
        return new MarkReport(id, false, detail);
    }
}
