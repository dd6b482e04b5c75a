package io.tracemark.trace.epcis;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

/**
 * Writes ledger rows with plain JDBC batches on the transaction's own connection. A capture of a
 * thousand events is a thousand event rows and their EPC rows: written through the persistence
 * context they cost more than validating and hashing the events together, written as batches they
 * are a few round trips. Rows are only ever inserted here; {@link LedgerEvent} maps them for reading.
 */
final class LedgerRows {

    /** Ids are taken from event_seq in blocks of its increment, each value starting a block. */
    static final int ID_BLOCK = 50;
    private static final int BATCH = 500;

    private static final String INSERT_EVENT = "insert into event (id, event_id, event_type, action, biz_step,"
            + " disposition, read_point, biz_location, event_time, event_time_zone_offset, record_time,"
            + " error_declaration_time, error_reason, document, context, capture_id, captured_by, event_hash,"
            + " previous_hash, chain_hash, chain_position, parties)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_EPC = "insert into event_epc (event_row, role, epc) values (?, ?, ?)";
    private static final String INSERT_QUANTITY = "insert into event_quantity (event_row, role, epc_class, quantity, uom)"
            + " values (?, ?, ?, ?, ?)";

    private LedgerRows() {
    }

    /**
     * Gives every row an id, ascending in append order (capture order, which breaks ties of event
     * time): one sequence value per {@link #ID_BLOCK} rows, all taken in one statement.
     */
    static void number(Connection connection, List<LedgerEvent> rows) throws SQLException {
        long[] blocks = new long[(rows.size() + ID_BLOCK - 1) / ID_BLOCK];
        try (PreparedStatement next = connection.prepareStatement(
                "select nextval('event_seq') from generate_series(1, ?)")) {
            next.setInt(1, blocks.length);
            try (ResultSet values = next.executeQuery()) {
                for (int i = 0; i < blocks.length; i++) {
                    if (!values.next()) {
                        throw new SQLException("event_seq gave " + i + " values, not " + blocks.length);
                    }
                    blocks[i] = values.getLong(1);
                }
            }
        }
        Arrays.sort(blocks);
        for (int i = 0; i < rows.size(); i++) {
            rows.get(i).id = blocks[i / ID_BLOCK] + i % ID_BLOCK;
        }
    }

    /** Inserts the events, then their EPC and quantity rows, which refer to them. */
    static void insert(Connection connection, List<LedgerEvent> rows) throws SQLException {
        try (PreparedStatement events = connection.prepareStatement(INSERT_EVENT)) {
            int pending = 0;
            for (LedgerEvent row : rows) {
                bind(events, row);
                events.addBatch();
                pending = flushAt(events, pending + 1);
            }
            events.executeBatch();
        }
        try (PreparedStatement epcs = connection.prepareStatement(INSERT_EPC)) {
            int pending = 0;
            for (LedgerEvent row : rows) {
                for (LedgerEvent.Epc epc : row.epcs) {
                    epcs.setLong(1, row.id);
                    epcs.setString(2, epc.role);
                    epcs.setString(3, epc.epc);
                    epcs.addBatch();
                    pending = flushAt(epcs, pending + 1);
                }
            }
            epcs.executeBatch();
        }
        try (PreparedStatement quantities = connection.prepareStatement(INSERT_QUANTITY)) {
            int pending = 0;
            for (LedgerEvent row : rows) {
                for (LedgerEvent.Quantity quantity : row.quantities) {
                    quantities.setLong(1, row.id);
                    quantities.setString(2, quantity.role);
                    quantities.setString(3, quantity.epcClass);
                    quantities.setBigDecimal(4, quantity.quantity);
                    quantities.setString(5, quantity.uom);
                    quantities.addBatch();
                    pending = flushAt(quantities, pending + 1);
                }
            }
            quantities.executeBatch();
        }
    }

    /** Sends the batch once it is full; answers how many statements are still pending. */
    private static int flushAt(PreparedStatement batch, int pending) throws SQLException {
        if (pending < BATCH) {
            return pending;
        }
        batch.executeBatch();
        return 0;
    }

    /**
     * Times are stored as UTC instants, as Hibernate stores them: H2 keeps the offset it is given
     * and would hand back each event's own.
     */
    private static OffsetDateTime utc(OffsetDateTime time) {
        return time == null ? null : time.withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static void bind(PreparedStatement insert, LedgerEvent row) throws SQLException {
        insert.setLong(1, row.id);
        insert.setString(2, row.eventId);
        insert.setString(3, row.eventType);
        insert.setString(4, row.action);
        insert.setString(5, row.bizStep);
        insert.setString(6, row.disposition);
        insert.setString(7, row.readPoint);
        insert.setString(8, row.bizLocation);
        insert.setObject(9, utc(row.eventTime));
        insert.setString(10, row.eventTimeZoneOffset);
        insert.setObject(11, utc(row.recordTime));
        insert.setObject(12, utc(row.errorDeclarationTime));
        insert.setString(13, row.errorReason);
        insert.setString(14, row.document);
        insert.setString(15, row.context);
        insert.setString(16, row.captureId);
        insert.setString(17, row.capturedBy);
        insert.setString(18, row.eventHash);
        insert.setString(19, row.previousHash);
        insert.setString(20, row.chainHash);
        insert.setLong(21, row.chainPosition);
        insert.setBoolean(22, row.parties);
    }
}
