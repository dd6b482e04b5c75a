package io.tracemark.trace.tracing;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.tracemark.trace.movement.MovementService;

/**
 * What the read side keeps of one event of an item's trace: enough to fold the item's state and
 * to tell its public journey, nothing a consumer may not see (no eventID, no capturer, no business
 * transactions). Stored in {@code item_view.steps} as a compact JSON array ({@link StepCodec}), in
 * ledger order.
 *
 * @param row the event's ledger row: steps of the same event met through two paths are one
 * @param via the container (or lot class) the event reached the EPC through; null for its own events
 * @param destinations each destination of the event as [type, identifier], the identifier canonical
 *        when it is a GS1 key, as written otherwise
 * @param reason a recall's reason, when it gave one
 */
record ViewStep(long row, OffsetDateTime time, String offset, String bizStep, String disposition,
        String readPoint, String bizLocation, List<List<String>> destinations, String via, String reason) {

    /** Ledger order, as {@link TracedEvent#ORDER}: event time, then capture order. */
    static final Comparator<ViewStep> ORDER = Comparator.comparing(ViewStep::time).thenComparingLong(ViewStep::row);

    ViewStep {
        destinations = destinations == null || destinations.isEmpty() ? null : List.copyOf(destinations);
    }

    /**
     * The step of an event, from its columns and, for destinations and a recall's reason, its
     * document (null or empty when it names no parties and is no recall).
     */
    static ViewStep of(long row, OffsetDateTime time, String offset, String bizStep, String disposition,
            String readPoint, String bizLocation, JsonNode document, String via) {
        List<List<String>> destinations = new ArrayList<>();
        JsonNode list = document == null ? null : document.get("destinationList");
        if (list != null && list.isArray()) {
            for (JsonNode element : list) {
                String id = element.path("destination").asText(null);
                if (id != null) {
                    String canonical = Tracer.canonical(id);
                    destinations.add(Arrays.asList(Journey.cbvName(element.path("type").asText(null)),
                            canonical != null ? canonical : id));
                }
            }
        }
        JsonNode reason = document == null ? null : document.get(MovementService.RECALL_REASON);
        boolean recall = "recalled".equals(disposition) || "recalling".equals(bizStep);
        return new ViewStep(row, ItemViews.utc(time), offset, bizStep, disposition, readPoint, bizLocation,
                destinations, via, recall && reason != null && reason.isTextual() ? reason.asText() : null);
    }

    /** The step of a traced event; its document is read only when it names parties or is a recall. */
    static ViewStep of(TracedEvent event, Tracer tracer) {
        boolean recall = Tracer.isRecall(event);
        JsonNode document = recall ? tracer.document(event) : event.parties() ? tracer.parties(event) : null;
        return of(event, document);
    }

    /** The step of a traced event whose document (or parties) the caller has read. */
    static ViewStep of(TracedEvent event, JsonNode document) {
        return of(event.row(), event.eventTime(), event.eventTimeZoneOffset(), event.bizStep(), event.disposition(),
                event.readPoint(), event.bizLocation(), document, event.via());
    }

    /** Where the event happened: its business location, else its read point. */
    String place() {
        return bizLocation != null ? bizLocation : readPoint;
    }

    boolean own() {
        return via == null;
    }

    boolean isRecall() {
        return "recalled".equals(disposition) || "recalling".equals(bizStep);
    }

    boolean isSale() {
        return "retail_sold".equals(disposition) || "retail_selling".equals(bizStep);
    }

    List<List<String>> destinationList() {
        return destinations == null ? List.of() : destinations;
    }

    ViewStep via(String container) {
        return new ViewStep(row, time, offset, bizStep, disposition, readPoint, bizLocation, destinations, container,
                reason);
    }

    /** Whether the step lies in a packing span [from, to] (to null: still inside); both ends belong to it. */
    boolean within(OffsetDateTime from, OffsetDateTime to) {
        return !time.isBefore(from) && (to == null || !time.isAfter(to));
    }
}
