package io.tracemark.trace.epcis;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;
import io.tracemark.trace.event.hash.EventHash;
import io.tracemark.trace.problem.Problem;

/**
 * The ledger's hash chain, and its verification.
 *
 * <p>Every event is appended with its EPCIS event hash and a chain value: SHA-256 over the chain
 * value of the event before it, the event's position, its event hash, its record time, who
 * captured it, its JSON-LD context and its stored document, byte for byte ({@link #link}). The
 * one-row {@code ledger_head} table holds the last chain value and the number of events; appends
 * lock it, so the chain has one order.
 *
 * <p>{@link #verify()} walks the ledger in append order, a batch at a time, and recomputes for
 * every event its event hash from the stored document, its indexed columns and EPC rows from the
 * document, and its chain value; the walk ends at the head recorded before it started.
 */
@ApplicationScoped
public class LedgerChain {

    /** The chain value before the first event. */
    public static final String GENESIS = "0".repeat(64);

    private static final int BATCH = 1000;

    @Inject
    AgroalDataSource dataSource;

    /**
     * The chain value of an event: SHA-256 (hex) over its fields, each written as its length
     * (4 bytes, big-endian; -1 for none) and its UTF-8 bytes, so that no two different lists of
     * fields are written the same.
     */
    public static String link(String previous, long position, String eventHash, OffsetDateTime recordTime,
            String capturedBy, String context, String document) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
        field(sha256, "tracemark-ledger-chain-1");
        field(sha256, previous);
        field(sha256, Long.toString(position));
        field(sha256, eventHash);
        field(sha256, DateTimeFormatter.ISO_INSTANT.format(recordTime.toInstant()));
        field(sha256, capturedBy);
        field(sha256, context);
        field(sha256, document);
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static void field(MessageDigest digest, String value) {
        if (value == null) {
            digest.update(ByteBuffer.allocate(4).putInt(-1).array());
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        digest.update(bytes);
    }

    /** The outcome of a verification; the fields of a broken one say where and why. */
    public record Verification(boolean intact, long events, String head, String firstBrokenEventId,
            Long firstBrokenPosition, String reason) {
    }

    /** Walks the whole chain; see the class comment. Reads only, with no lock on appends. */
    public Verification verify() {
        return verifyFrom(0, GENESIS);
    }

    /**
     * Walks the chain from the event after {@code position}, whose chain value before it must be
     * {@code chainHash} (a checkpoint's head), to the head; {@link #verify()} starts at the genesis.
     */
    public Verification verifyFrom(long position, String chainHash) {
        try (Connection db = dataSource.getConnection()) {
            long headEvents;
            String headHash;
            try (PreparedStatement head = db.prepareStatement("select events, chain_hash from ledger_head where id = 1");
                    ResultSet row = head.executeQuery()) {
                if (!row.next()) {
                    return broken(0, null, null, "the ledger head is missing");
                }
                headEvents = row.getLong(1);
                headHash = row.getString(2);
            }
            if (headEvents < position) {
                return broken(headEvents, null, null, "the ledger head counts " + headEvents
                        + " events, fewer than the " + position + " the walk starts after: events were removed");
            }
            String running = chainHash;
            long checked = position;
            while (checked < headEvents) {
                List<Stored> batch = batch(db, checked, headEvents);
                if (batch.isEmpty()) {
                    break;
                }
                // Each event is checked against the chain value stored before it, so a batch's events
                // can be checked side by side; the first broken one in chain order is reported.
                String before = running;
                long from = checked;
                String[] problems = new String[batch.size()];
                IntStream.range(0, batch.size()).parallel().forEach(i -> problems[i] = check(batch.get(i),
                        i == 0 ? before : batch.get(i - 1).chainHash, from + i + 1));
                for (int i = 0; i < batch.size(); i++) {
                    if (problems[i] != null) {
                        return broken(checked, batch.get(i).eventId, batch.get(i).position, problems[i]);
                    }
                    running = batch.get(i).chainHash;
                    checked++;
                }
            }
            if (checked < headEvents) {
                return broken(checked, null, null, "the ledger head counts " + headEvents + " events but the chain ends after "
                        + checked + ": the last " + (headEvents - checked) + " were removed");
            }
            if (!running.equals(headHash)) {
                return broken(checked, null, null, "the chain ends in " + running + " but the ledger head records " + headHash
                        + ": the last events were replaced or removed");
            }
            try (PreparedStatement outside = db.prepareStatement(
                    "select event_id from event where chain_position is null order by id");
                    ResultSet row = outside.executeQuery()) {
                if (row.next()) {
                    return broken(checked, row.getString(1), null,
                            "the event is stored outside the chain: it has no chain position, so it was not appended by the ledger");
                }
            }
            return new Verification(true, checked, headHash, null, null, null);
        } catch (SQLException e) {
            throw new IllegalStateException("the ledger cannot be read for verification", e);
        }
    }

    /** The chain's length and last chain value, as the ledger's head records them. */
    public record Head(long events, String chainHash) {
    }

    public Head head() {
        try (Connection db = dataSource.getConnection();
                PreparedStatement head = db.prepareStatement("select events, chain_hash from ledger_head where id = 1");
                ResultSet row = head.executeQuery()) {
            if (!row.next()) {
                throw new IllegalStateException("the ledger head is missing");
            }
            return new Head(row.getLong(1), row.getString(2));
        } catch (SQLException e) {
            throw new IllegalStateException("the ledger head cannot be read", e);
        }
    }

    /** The chain value stored with the event at {@code position} ({@link #GENESIS} at 0), or null when none is there. */
    public String chainHashAt(long position) {
        if (position == 0) {
            return GENESIS;
        }
        try (Connection db = dataSource.getConnection();
                PreparedStatement select = db.prepareStatement("select chain_hash from event where chain_position = ?")) {
            select.setLong(1, position);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the ledger cannot be read", e);
        }
    }

    private static Verification broken(long checked, String eventId, Long position, String reason) {
        return new Verification(false, checked, null, eventId, position, reason);
    }

    /** Why the event breaks the chain, or null when it holds. */
    private static String check(Stored event, String previous, long expectedPosition) {
        if (event.position != expectedPosition) {
            return "the event is at chain position " + event.position + " where " + expectedPosition
                    + " was expected: the event at position " + expectedPosition + " was removed";
        }
        if (!previous.equals(event.previousHash)) {
            return "its previous hash is not the chain value of the event before it: events before it were removed, "
                    + "reordered or replaced";
        }
        JsonNode document;
        try {
            document = QueryDocuments.read(event.document);
        } catch (RuntimeException e) {
            return "its stored document is no longer JSON";
        }
        if (!(document instanceof ObjectNode object)) {
            return "its stored document is no longer a JSON object";
        }
        String eventHash;
        try {
            eventHash = EventHash.of(object, event.context == null ? null : QueryDocuments.read(event.context));
        } catch (RuntimeException e) {
            return "its stored document or context cannot be hashed any more: " + e.getMessage();
        }
        if (!eventHash.equals(event.eventHash)) {
            return "its stored document hashes to " + eventHash + ", not to its recorded event hash " + event.eventHash
                    + ": the document or its context was changed";
        }
        String columns = columnsDiffer(event, object);
        if (columns != null) {
            return columns;
        }
        String chainHash = link(previous, event.position, event.eventHash, event.recordTime, event.capturedBy,
                event.context, event.document);
        if (!chainHash.equals(event.chainHash)) {
            return "its chain value does not match its stored fields: its document, context, record time, event hash "
                    + "or captor was changed";
        }
        return null;
    }

    /** Which stored column or row no longer says what the document says, or null. */
    private static String columnsDiffer(Stored event, ObjectNode document) {
        List<Problem.Violation> violations = new ArrayList<>();
        LedgerEvent derived = EventIntake.prepare(document, "event", violations);
        if (derived == null) {
            return "its stored document is no longer a valid event: " + violations.get(0).field() + " "
                    + violations.get(0).message();
        }
        Map<String, Boolean> same = new java.util.LinkedHashMap<>();
        same.put("event_id", Objects.equals(derived.eventId, event.eventId));
        same.put("event_type", Objects.equals(derived.eventType, event.eventType));
        same.put("action", Objects.equals(derived.action, event.action));
        same.put("biz_step", Objects.equals(derived.bizStep, event.bizStep));
        same.put("disposition", Objects.equals(derived.disposition, event.disposition));
        same.put("read_point", Objects.equals(derived.readPoint, event.readPoint));
        same.put("biz_location", Objects.equals(derived.bizLocation, event.bizLocation));
        same.put("event_time", sameInstant(derived.eventTime, event.eventTime));
        same.put("event_time_zone_offset", Objects.equals(derived.eventTimeZoneOffset, event.eventTimeZoneOffset));
        same.put("record_time", sameInstant(recordTime(document), event.recordTime));
        same.put("error_declaration_time", sameInstant(derived.errorDeclarationTime, event.errorDeclarationTime));
        same.put("error_reason", Objects.equals(derived.errorReason, event.errorReason));
        same.put("parties", derived.parties == event.parties);
        same.put("event_epc", sorted(derived.epcs.stream().map(e -> e.role + " " + e.epc).toList()).equals(sorted(event.epcs)));
        same.put("event_quantity", sorted(derived.quantities.stream().map(LedgerChain::quantity).toList())
                .equals(sorted(event.quantities)));
        for (Map.Entry<String, Boolean> column : same.entrySet()) {
            if (!column.getValue()) {
                return "its " + column.getKey() + (column.getKey().startsWith("event_epc") || column.getKey().equals("event_quantity")
                        ? " rows do" : " column does") + " not match its stored document";
            }
        }
        return null;
    }

    private static OffsetDateTime recordTime(JsonNode document) {
        try {
            return OffsetDateTime.parse(document.path("recordTime").asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The database keeps microseconds; an event time may be written with more digits. */
    private static boolean sameInstant(OffsetDateTime a, OffsetDateTime b) {
        if (a == null || b == null) {
            return a == b;
        }
        return Duration.between(a.toInstant(), b.toInstant()).abs().toNanos() < 1000;
    }

    private static List<String> sorted(List<String> values) {
        List<String> copy = new ArrayList<>(values);
        copy.sort(null);
        return copy;
    }

    /** A quantity row as text; the column keeps six decimals. */
    private static String quantity(LedgerEvent.Quantity q) {
        return quantityText(q.role, q.epcClass, q.quantity == null ? null : q.quantity.setScale(6, RoundingMode.HALF_UP), q.uom);
    }

    private static String quantityText(String role, String epcClass, BigDecimal quantity, String uom) {
        return role + " " + epcClass + " " + (quantity == null ? "-" : quantity.stripTrailingZeros().toPlainString()) + " "
                + (uom == null ? "-" : uom);
    }

    /** One stored event as verification reads it, with its EPC and quantity rows as text. */
    private static final class Stored {
        long id;
        long position;
        String eventId;
        String eventType;
        String action;
        String bizStep;
        String disposition;
        String readPoint;
        String bizLocation;
        OffsetDateTime eventTime;
        String eventTimeZoneOffset;
        OffsetDateTime recordTime;
        OffsetDateTime errorDeclarationTime;
        String errorReason;
        boolean parties;
        String document;
        String context;
        String capturedBy;
        String eventHash;
        String previousHash;
        String chainHash;
        final List<String> epcs = new ArrayList<>();
        final List<String> quantities = new ArrayList<>();
    }

    /** The events after position {@code after}, up to the head, at most one batch, with their rows. */
    private static List<Stored> batch(Connection db, long after, long headEvents) throws SQLException {
        List<Stored> events = new ArrayList<>();
        Map<Long, Stored> byId = new HashMap<>();
        try (PreparedStatement select = db.prepareStatement("select id, chain_position, event_id, event_type, action, "
                + "biz_step, disposition, read_point, biz_location, event_time, event_time_zone_offset, record_time, "
                + "error_declaration_time, error_reason, document, context, captured_by, event_hash, previous_hash, "
                + "chain_hash, parties from event where chain_position > ? and chain_position <= ? order by chain_position")) {
            select.setMaxRows(BATCH);
            select.setFetchSize(BATCH);
            select.setLong(1, after);
            select.setLong(2, headEvents);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    Stored event = new Stored();
                    event.id = row.getLong("id");
                    event.position = row.getLong("chain_position");
                    event.eventId = row.getString("event_id");
                    event.eventType = row.getString("event_type");
                    event.action = row.getString("action");
                    event.bizStep = row.getString("biz_step");
                    event.disposition = row.getString("disposition");
                    event.readPoint = row.getString("read_point");
                    event.bizLocation = row.getString("biz_location");
                    event.eventTime = row.getObject("event_time", OffsetDateTime.class);
                    event.eventTimeZoneOffset = row.getString("event_time_zone_offset");
                    event.recordTime = row.getObject("record_time", OffsetDateTime.class);
                    event.errorDeclarationTime = row.getObject("error_declaration_time", OffsetDateTime.class);
                    event.errorReason = row.getString("error_reason");
                    event.parties = row.getBoolean("parties");
                    event.document = row.getString("document");
                    event.context = row.getString("context");
                    event.capturedBy = row.getString("captured_by");
                    event.eventHash = row.getString("event_hash");
                    event.previousHash = row.getString("previous_hash");
                    event.chainHash = row.getString("chain_hash");
                    events.add(event);
                    byId.put(event.id, event);
                }
            }
        }
        if (events.isEmpty()) {
            return events;
        }
        long first = events.get(0).position;
        long last = events.get(events.size() - 1).position;
        try (PreparedStatement select = db.prepareStatement("select p.event_row, p.role, p.epc from event_epc p "
                + "join event e on e.id = p.event_row where e.chain_position between ? and ?")) {
            select.setLong(1, first);
            select.setLong(2, last);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    byId.get(row.getLong(1)).epcs.add(row.getString(2) + " " + row.getString(3));
                }
            }
        }
        try (PreparedStatement select = db.prepareStatement("select q.event_row, q.role, q.epc_class, q.quantity, q.uom "
                + "from event_quantity q join event e on e.id = q.event_row where e.chain_position between ? and ?")) {
            select.setLong(1, first);
            select.setLong(2, last);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    byId.get(row.getLong(1)).quantities.add(quantityText(row.getString(2), row.getString(3),
                            row.getBigDecimal(4), row.getString(5)));
                }
            }
        }
        return events;
    }
}
