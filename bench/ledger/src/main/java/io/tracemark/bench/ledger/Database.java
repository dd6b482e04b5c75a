package io.tracemark.bench.ledger;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The service's PostgreSQL database, reached directly: to read what the service stored, and for
 * the raw baselines, which do the same writes and look-ups with nothing in between.
 */
final class Database implements AutoCloseable {

    /** The columns of an event row as Tracer reads them, for the raw trace look-ups. */
    private static final String EVENT_COLUMNS = "e.id, e.event_id, e.event_type, e.action, e.biz_step, e.disposition,"
            + " e.read_point, e.biz_location, e.event_time, e.event_time_zone_offset, e.error_declaration_time,"
            + " e.captured_by, e.document, e.context";
    private static final String BY_EPC = "select " + EVENT_COLUMNS + ", ee.role from event_epc ee"
            + " join event e on e.id = ee.event_row where ee.epc = ?";
    private static final String BY_CLASS = "select " + EVENT_COLUMNS + ", eq.role from event_quantity eq"
            + " join event e on e.id = eq.event_row where eq.epc_class = ?";

    private final Connection connection;

    Database(String url, String user) throws SQLException {
        // Batched inserts rewritten into multi-row statements: the fastest plain INSERT path there is.
        connection = DriverManager.getConnection(url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true",
                user, null);
    }

    /** The first and last counter of a batch's codes, the span its listings walk on the primary key. */
    long[] span(long batchId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "select min(counter), max(counter) from code where batch_id = ?")) {
            select.setLong(1, batchId);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return new long[] { rows.getLong(1), rows.getLong(2) };
            }
        }
    }

    /** The serials of a batch in counter order. */
    List<String> serials(long batchId) throws SQLException {
        List<String> serials = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "select serial from code where batch_id = ? order by counter")) {
            select.setLong(1, batchId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    serials.add(rows.getString(1));
                }
            }
        }
        return serials;
    }

    long count(String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    String text(String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    /**
     * Tables shaped like the ledger's (columns, keys, indexes, the foreign key from EPC rows to
     * events) that the raw baseline inserts into.
     */
    void createRawTables() throws SQLException {
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("drop table if exists event_epc_raw");
            ddl.execute("drop table if exists event_raw");
            ddl.execute("create table event_raw (like event including all)");
            ddl.execute("create table event_epc_raw (like event_epc including all)");
            ddl.execute("alter table event_epc_raw add foreign key (event_row) references event_raw (id)");
        }
    }

    /** The rows one capture wrote: its events, then their EPC rows. */
    record Rows(List<Object[]> events, List<Object[]> epcs, int eventColumns, int epcColumns) {
    }

    Rows rowsOf(String captureId) throws SQLException {
        List<Object[]> events = new ArrayList<>();
        List<Object[]> epcs = new ArrayList<>();
        int[] columns = new int[2];
        columns[0] = read("select * from event where capture_id = ? order by id", captureId, events);
        columns[1] = read("select ee.* from event_epc ee join event e on e.id = ee.event_row where e.capture_id = ?",
                captureId, epcs);
        return new Rows(events, epcs, columns[0], columns[1]);
    }

    private int read(String sql, String key, List<Object[]> into) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, key);
            try (ResultSet rows = select.executeQuery()) {
                ResultSetMetaData meta = rows.getMetaData();
                int columns = meta.getColumnCount();
                while (rows.next()) {
                    Object[] row = new Object[columns];
                    for (int c = 0; c < columns; c++) {
                        row[c] = rows.getObject(c + 1);
                    }
                    into.add(row);
                }
                return columns;
            }
        }
    }

    /** Inserts the rows into the raw tables in one transaction, as batches; answers nanoseconds taken. */
    long insertRaw(Rows rows) throws SQLException {
        long start = System.nanoTime();
        connection.setAutoCommit(false);
        try {
            insert("event_raw", rows.eventColumns(), rows.events());
            insert("event_epc_raw", rows.epcColumns(), rows.epcs());
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
        return System.nanoTime() - start;
    }

    private void insert(String table, int columns, List<Object[]> rows) throws SQLException {
        String marks = "?" + ", ?".repeat(columns - 1);
        try (PreparedStatement insert = connection.prepareStatement("insert into " + table + " values (" + marks + ")")) {
            int pending = 0;
            for (Object[] row : rows) {
                for (int c = 0; c < columns; c++) {
                    insert.setObject(c + 1, row[c]);
                }
                insert.addBatch();
                if (++pending == 500) {
                    insert.executeBatch();
                    pending = 0;
                }
            }
            insert.executeBatch();
        }
    }

    /**
     * The look-ups a trace of one item needs, with nothing around them: the events naming the
     * item, its pallet and its case, and the events counting its lot, every column read.
     * Answers nanoseconds taken.
     */
    long rawTrace(String item, String pallet, String kase, String lotClass) throws SQLException {
        long start = System.nanoTime();
        readAll(BY_EPC, item);
        readAll(BY_EPC, pallet);
        readAll(BY_EPC, kase);
        readAll(BY_CLASS, lotClass);
        return System.nanoTime() - start;
    }

    private void readAll(String sql, String key) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, key);
            try (ResultSet rows = select.executeQuery()) {
                int columns = rows.getMetaData().getColumnCount();
                while (rows.next()) {
                    for (int c = 1; c <= columns; c++) {
                        rows.getObject(c);
                    }
                }
            }
        }
    }

    /**
     * Every item of a batch with the last event naming it, as one statement streamed through a
     * cursor: what PostgreSQL alone takes to list a batch for a recall. Answers the items read.
     */
    long rawRecall(long batchId, long[] span, String itemPrefix) throws SQLException {
        String sql = "select c.serial, c.state, last.event_time, last.biz_step, last.disposition, last.biz_location"
                + " from code c left join lateral (select e.event_time, e.biz_step, e.disposition, e.biz_location"
                + " from event_epc ee join event e on e.id = ee.event_row where ee.epc = ? || c.serial"
                + " order by e.event_time desc limit 1) last on true"
                + " where c.counter between ? and ? and c.batch_id = ? order by c.counter";
        connection.setAutoCommit(false);
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setFetchSize(1_000);
            select.setString(1, itemPrefix);
            select.setLong(2, span[0]);
            select.setLong(3, span[1]);
            select.setLong(4, batchId);
            long items = 0;
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    for (int c = 1; c <= 6; c++) {
                        rows.getObject(c);
                    }
                    items++;
                }
            }
            return items;
        } finally {
            connection.rollback();
            connection.setAutoCommit(true);
        }
    }

    /**
     * What autovacuum would have done by now: statistics refreshed, and where the server runs without
     * autovacuum (a development machine's setting, which the benchmark does not change) the dead rows
     * of updated tables (the item view rewrites a row per EPC a capture names) reclaimed too; without
     * it the view's heap grows with every capture and each read crosses its dead rows.
     */
    void maintain() throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            boolean autovacuum;
            try (var row = statement.executeQuery("show autovacuum")) {
                autovacuum = row.next() && "on".equals(row.getString(1));
            }
            statement.execute(autovacuum ? "analyze" : "vacuum analyze");
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    void checkpoint() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("checkpoint");
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
