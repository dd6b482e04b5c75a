package io.tracemark.trace.epcis;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import org.hibernate.Session;

import io.tracemark.trace.event.hash.EventHash;
import io.tracemark.trace.storage.ArrayStatements;

/**
 * The append-only event ledger. It has no method that changes or removes an event: what was
 * captured stays, and a correction is another event.
 */
@ApplicationScoped
public class EventLedger {

    @Inject
    Event<LedgerAppended> appended;

    /** The eventIDs among the given ones that the ledger already holds. */
    public Set<String> existing(Collection<String> eventIds) {
        Set<String> found = new HashSet<>();
        if (eventIds.isEmpty()) {
            return found;
        }
        // One array parameter instead of a thousand: one statement, one plan, whatever the count.
        LedgerEvent.getEntityManager().unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement select = ArrayStatements.prepare(connection,
                    "select event_id from event where event_id = any (?)")) {
                select.setArray(1, connection.createArrayOf("varchar", eventIds.toArray()));
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        found.add(rows.getString(1));
                    }
                }
            }
        });
        return found;
    }

    /**
     * Appends prepared events, all with the same record time, to the end of the hash chain. An event
     * without an eventID gets its event hash as eventID (as EPCIS 2.0 suggests), which is also
     * written into its document so that it can be fetched by it. Must run inside the caller's
     * transaction, so that a capture lands whole or not at all; the chain's head stays locked until
     * that transaction ends, so concurrent captures are chained one after the other.
     */
    public void append(List<Prepared> events, String context, String captureId, String capturedBy) {
        if (events.isEmpty()) {
            return;
        }
        // Everything that does not depend on the chain's head is done before it is locked, so that
        // concurrent captures wait for each other's inserts only.
        List<Rendered> rendered = new ArrayList<>(events.size());
        for (Prepared event : events) {
            rendered.add(Rendered.of(event, context));
        }
        var em = LedgerEvent.getEntityManager();
        // Plain FOR UPDATE, which PostgreSQL and H2 both accept (JPA's pessimistic lock is not).
        Object[] head = (Object[]) em.createNativeQuery("select events, chain_hash from ledger_head where id = 1 for update")
                .getSingleResult();
        long position = ((Number) head[0]).longValue();
        String previous = (String) head[1];
        // Taken once the head is ours, so that record times follow the chain's order.
        OffsetDateTime recordTime = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
        String recordTimeText = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(recordTime);
        String recordTimeJson = write(TextNode.valueOf(recordTimeText));
        List<LedgerEvent> rows = new ArrayList<>(events.size());
        List<ObjectNode> documents = new ArrayList<>(events.size());
        for (Rendered event : rendered) {
            LedgerEvent row = event.row();
            ObjectNode document = event.document();
            // The repository sets the record time; one sent by the client is not evidence of anything.
            document.put("recordTime", recordTimeText);
            row.recordTime = recordTime;
            row.document = event.text(recordTimeJson);
            row.captureId = captureId;
            row.capturedBy = capturedBy;
            row.chainPosition = ++position;
            row.previousHash = previous;
            row.chainHash = LedgerChain.link(previous, position, row.eventHash, recordTime, capturedBy, row.context,
                    row.document);
            previous = row.chainHash;
            rows.add(row);
            documents.add(document);
        }
        write(em, rows);
        em.createNativeQuery("update ledger_head set events = ?1, chain_hash = ?2 where id = 1")
                .setParameter(1, position).setParameter(2, previous).executeUpdate();
        // Still holding the head: views are kept in ledger order, one append after the other.
        appended.fire(new LedgerAppended(List.copyOf(rows), List.copyOf(documents)));
    }

    /**
     * An event as the ledger will store it, but for its record time: its document (without
     * {@code @context}, with its eventID) written out around the place of the record time, which is
     * only known once the chain's head is locked.
     */
    private record Rendered(LedgerEvent row, ObjectNode document, String before, String after) {

        /** Stands for the record time while the document is written; no event may hold a NUL. */
        private static final String PLACE = "\u0000tracemark-record-time\u0000";
        private static final String PLACE_JSON = write(TextNode.valueOf(PLACE));

        static Rendered of(Prepared event, String context) {
            LedgerEvent row = event.row();
            ObjectNode document = event.document().deepCopy();
            document.remove("@context");
            row.context = combined(context, event.ownContext());
            String eventHash = event.eventHash() != null ? event.eventHash()
                    : EventHash.of(document, row.context == null ? null : QueryDocuments.read(row.context));
            if (row.eventId == null) {
                row.eventId = eventHash;
                document.put("eventID", row.eventId);
            }
            row.eventHash = eventHash;
            document.put("recordTime", PLACE);
            String text = write(document);
            int at = text.indexOf(PLACE_JSON);
            if (at < 0 || text.indexOf(PLACE_JSON, at + 1) >= 0) {
                // Not one place to put the time in: the document is written again once it is known.
                return new Rendered(row, document, null, null);
            }
            return new Rendered(row, document, text.substring(0, at), text.substring(at + PLACE_JSON.length()));
        }

        /** The document's text with the record time (as JSON) in its place: as the whole would be written. */
        String text(String recordTimeJson) {
            return before != null ? before + recordTimeJson + after : write(document);
        }
    }

    private static void write(jakarta.persistence.EntityManager em, List<LedgerEvent> rows) {
        em.unwrap(Session.class).doWork(connection -> {
            LedgerRows.number(connection, rows);
            LedgerRows.insert(connection, rows);
        });
    }

    /**
     * The event hash of an event as captured, under its document's @context (JSON text, or null)
     * and its own.
     *
     * @throws IllegalArgumentException when a standard field has a shape the hash cannot read
     */
    public static String eventHash(ObjectNode event, String documentContext) {
        String context = combined(documentContext, event.get("@context"));
        ObjectNode bare = event;
        if (event.has("@context")) {
            bare = event.deepCopy();
            bare.remove("@context");
        }
        return EventHash.of(bare, context == null ? null : QueryDocuments.read(context));
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

    /**
     * An event ready for the ledger: its row (without record time), its JSON, the @context it carried
     * itself, and its event hash ({@link #eventHash}).
     */
    public record Prepared(LedgerEvent row, ObjectNode document, JsonNode ownContext, String eventHash) {

        /** An event whose hash the ledger computes as it appends it (a shape it cannot hash fails the append). */
        public Prepared(LedgerEvent row, ObjectNode document, JsonNode ownContext) {
            this(row, document, ownContext, null);
        }
    }

    static String write(JsonNode node) {
        try {
            return EpcisJson.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an EPCIS event cannot be written as JSON", e);
        }
    }
}
