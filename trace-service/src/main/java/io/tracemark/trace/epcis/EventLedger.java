package io.tracemark.trace.epcis;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The append-only event ledger. It has no method that changes or removes an event: what was
 * captured stays, and a correction is another event.
 */
@ApplicationScoped
public class EventLedger {

    /** The eventIDs among the given ones that the ledger already holds. */
    public Set<String> existing(Collection<String> eventIds) {
        Set<String> found = new HashSet<>();
        List<String> ids = new ArrayList<>(eventIds);
        for (int from = 0; from < ids.size(); from += 1000) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 1000));
            found.addAll(LedgerEvent.getEntityManager()
                    .createQuery("select e.eventId from LedgerEvent e where e.eventId in :ids", String.class)
                    .setParameter("ids", chunk).getResultList());
        }
        return found;
    }

    /**
     * Appends prepared events, all with the same record time. An event without an eventID gets a
     * fresh urn:uuid one, which is also written into its document so that it can be fetched by it.
     * Must run inside the caller's transaction, so that a capture lands whole or not at all.
     */
    public void append(List<Prepared> events, String context, String captureId, String capturedBy) {
        OffsetDateTime recordTime = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
        String recordTimeText = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(recordTime);
        for (Prepared event : events) {
            LedgerEvent row = event.row();
            ObjectNode document = event.document().deepCopy();
            document.remove("@context");
            if (row.eventId == null) {
                row.eventId = "urn:uuid:" + UUID.randomUUID();
                document.put("eventID", row.eventId);
            }
            // The repository sets the record time; one sent by the client is not evidence of anything.
            document.put("recordTime", recordTimeText);
            row.recordTime = recordTime;
            row.document = write(document);
            row.context = combined(context, event.ownContext());
            row.captureId = captureId;
            row.capturedBy = capturedBy;
            row.persist();
        }
    }

    /** The document's context followed by the event's own, which may add to it. */
    private static String combined(String documentContext, JsonNode own) {
        if (own == null) {
            return documentContext;
        }
        if (documentContext == null) {
            return write(own);
        }
        try {
            com.fasterxml.jackson.databind.node.ArrayNode both = EpcisJson.MAPPER.createArrayNode();
            for (JsonNode part : List.of(EpcisJson.MAPPER.readTree(documentContext), own)) {
                if (part.isArray()) {
                    both.addAll((com.fasterxml.jackson.databind.node.ArrayNode) part);
                } else {
                    both.add(part);
                }
            }
            return write(both);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored @context is not JSON", e);
        }
    }

    /** An event ready for the ledger: its row (without record time), its JSON, and the @context it carried itself. */
    public record Prepared(LedgerEvent row, ObjectNode document, JsonNode ownContext) {
    }

    static String write(JsonNode node) {
        try {
            return EpcisJson.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an EPCIS event cannot be written as JSON", e);
        }
    }
}
