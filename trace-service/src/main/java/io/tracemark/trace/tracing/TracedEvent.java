package io.tracemark.trace.tracing;

import java.time.OffsetDateTime;
import java.util.Comparator;

/**
 * One ledger event as tracing reads it: its columns, the event as captured, and how it reached
 * the item — directly ({@code via} null), through a container it travelled in ({@code via} the
 * container's canonical EPC), or through its lot ({@code via} the lot's canonical EPC class).
 */
record TracedEvent(long row, String eventId, String eventType, String action, String bizStep, String disposition,
        String readPoint, String bizLocation, OffsetDateTime eventTime, String eventTimeZoneOffset,
        boolean errorDeclared, String capturedBy, String document, String context, String via) {

    /** Ledger order: by event time, then by capture order. */
    static final Comparator<TracedEvent> ORDER = Comparator.comparing(TracedEvent::eventTime)
            .thenComparingLong(TracedEvent::row);

    TracedEvent via(String container) {
        return new TracedEvent(row, eventId, eventType, action, bizStep, disposition, readPoint, bizLocation,
                eventTime, eventTimeZoneOffset, errorDeclared, capturedBy, document, context, container);
    }

    boolean isAggregation() {
        return "AggregationEvent".equals(eventType);
    }
}
