package io.tracemark.trace.tracing;

import java.time.OffsetDateTime;
import java.util.Comparator;

/**
 * One ledger event as tracing reads it: its columns, and how it reached the item — directly
 * ({@code via} null), through a container it travelled in ({@code via} the container's canonical
 * EPC), or through its lot ({@code via} the lot's canonical EPC class).
 *
 * <p>The event as captured ({@code document}) is read with it only when a journey needs it — when
 * it names sources, destinations or business transactions ({@code parties}) and is small; otherwise
 * it is null and {@link Tracer#document} reads it when asked. An aggregation's parent and whether it
 * names children come from the ledger's EPC rows, so that a pallet's event listing 10,000 children
 * is never read whole to follow one item.
 */
record TracedEvent(long row, String eventId, String eventType, String action, String bizStep, String disposition,
        String readPoint, String bizLocation, OffsetDateTime eventTime, String eventTimeZoneOffset,
        boolean errorDeclared, String capturedBy, String document, String context, String via, boolean parties,
        String parent, boolean hasChildren) {

    /** Ledger order: by event time, then by capture order. */
    static final Comparator<TracedEvent> ORDER = Comparator.comparing(TracedEvent::eventTime)
            .thenComparingLong(TracedEvent::row);

    TracedEvent via(String container) {
        return new TracedEvent(row, eventId, eventType, action, bizStep, disposition, readPoint, bizLocation,
                eventTime, eventTimeZoneOffset, errorDeclared, capturedBy, document, context, container, parties, parent,
                hasChildren);
    }

    boolean isAggregation() {
        return "AggregationEvent".equals(eventType);
    }
}
