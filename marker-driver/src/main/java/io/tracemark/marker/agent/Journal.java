package io.tracemark.marker.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.tracemark.marker.MarkOrder;
import io.tracemark.marker.pipeline.MarkingRegistry;
import io.tracemark.marker.verify.Grade;

/**
 * The station agent's durable memory of one run, in a SQLite file on the line PC. It holds the
 * codes claimed from trace-service ahead of need, so the line never waits on the network, and
 * every step of every code, each committed to disk (synchronous=FULL) before the pipeline acts on
 * it. Steps the service has not acknowledged yet wait in the outbox, in order.
 */
public final class Journal implements MarkingRegistry, AutoCloseable {

    /** One step of one code, as trace-service is told of it. */
    public record Step(long seq, String id, String state, String grade, String reason, Instant at) {
    }

    /** A claim sent to the service whose answer has not been stored yet: asked again under the same id. */
    public record PendingClaim(String requestId, int count) {
    }

    private final Connection db;

    private Journal(Connection db) {
        this.db = db;
    }

    /** Opens (or creates) the journal in {@code folder}; {@code runId} guards against mixing runs. */
    public static Journal open(Path folder, long runId) {
        try {
            Files.createDirectories(folder);
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + folder.resolve("run-" + runId + ".db"));
            try (Statement sql = db.createStatement()) {
                sql.execute("pragma journal_mode=WAL");
                // Each commit reaches the disk before it returns: a power cut loses no step.
                sql.execute("pragma synchronous=FULL");
                sql.execute("create table if not exists code (id text primary key, content text not null, "
                        + "state text not null, grade text, reason text, position integer not null)");
                sql.execute("create index if not exists code_state on code (state, position)");
                sql.execute("create table if not exists outbox (seq integer primary key autoincrement, "
                        + "id text not null, state text not null, grade text, reason text, at text not null)");
                sql.execute("create table if not exists claim (request_id text primary key, count integer not null, "
                        + "answered integer not null default 0)");
                sql.execute("create table if not exists run (id integer primary key, target integer not null)");
            }
            db.setAutoCommit(false);
            return new Journal(db);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot open the station journal in " + folder + ": " + e.getMessage(), e);
        }
    }

    // --- the run -----------------------------------------------------------------------------

    /** Remembers how many good items the run wants, so that a restart needs no network. */
    public synchronized void target(long runId, long target) {
        write("insert or replace into run (id, target) values (?, ?)", runId, target);
    }

    public synchronized Optional<Long> target(long runId) {
        return query("select target from run where id = ?", rows -> rows.getLong(1), runId).stream().findFirst();
    }

    // --- codes claimed from the service ---------------------------------------------------

    /** Records a claim before it is sent, so that a crash in between repeats it rather than loses it. */
    public synchronized PendingClaim newClaim(int count) {
        String requestId = UUID.randomUUID().toString();
        write("insert into claim (request_id, count) values (?, ?)", requestId, count);
        return new PendingClaim(requestId, count);
    }

    public synchronized Optional<PendingClaim> pendingClaim() {
        return query("select request_id, count from claim where answered = 0 order by rowid limit 1",
                rows -> new PendingClaim(rows.getString(1), rows.getInt(2))).stream().findFirst();
    }

    /** Stores the codes the service answered a claim with, ready to be sent to the marker. */
    public synchronized void claimAnswered(PendingClaim claim, List<MarkOrder> codes) {
        transaction(() -> {
            long position = reservedEnd();
            for (MarkOrder code : codes) {
                update("insert or ignore into code (id, content, state, position) values (?, ?, 'RESERVED', ?)",
                        code.id(), code.content(), position++);
            }
            update("update claim set answered = 1 where request_id = ?", claim.requestId());
        });
    }

    /** Codes claimed from the service and not yet sent to the marker. */
    public synchronized int reserved() {
        return count("RESERVED");
    }

    // --- MarkingRegistry --------------------------------------------------------------------

    @Override
    public synchronized List<MarkOrder> claim(int count) {
        List<MarkOrder> codes = query("select id, content from code where state = 'RESERVED' order by position limit "
                + count, rows -> new MarkOrder(rows.getString(1), rows.getString(2)));
        transaction(() -> {
            for (MarkOrder code : codes) {
                update("update code set state = 'SENT' where id = ?", code.id());
            }
        });
        return codes;
    }

    @Override
    public synchronized void marked(String id) {
        step(id, "MARKED", null, null, "SENT");
    }

    @Override
    public synchronized void verified(String id, Grade grade) {
        step(id, "VERIFIED", grade.name(), null, "MARKED");
    }

    @Override
    public synchronized void voided(String id, String reason) {
        step(id, "VOIDED", null, reason, "RESERVED", "SENT", "MARKED", "VERIFIED");
    }

    @Override
    public synchronized List<Unsettled> unsettled() {
        return query("select id, content, state from code where state in ('SENT', 'MARKED') order by position",
                rows -> new Unsettled(new MarkOrder(rows.getString(1), rows.getString(2)),
                        rows.getString(3).equals("MARKED")));
    }

    /** Voids every claimed code the run did not use: a code is never kept for another run. */
    public synchronized int voidUnused(String reason) {
        List<String> unused = query("select id from code where state = 'RESERVED'", rows -> rows.getString(1));
        unused.forEach(id -> voided(id, reason));
        return unused.size();
    }

    public synchronized int count(String state) {
        return countOf("select count(*) from code where state = ?", state);
    }

    // --- outbox -----------------------------------------------------------------------------

    /** The oldest steps the service has not acknowledged, in order. */
    public synchronized List<Step> undelivered(int max) {
        return query("select seq, id, state, grade, reason, at from outbox order by seq limit " + max,
                rows -> new Step(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4),
                        rows.getString(5), Instant.parse(rows.getString(6))));
    }

    /** The service acknowledged every step up to and including {@code seq}. */
    public synchronized void delivered(long seq) {
        transaction(() -> update("delete from outbox where seq <= ?", seq));
    }

    public synchronized int undeliveredCount() {
        return countOf("select count(*) from outbox");
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new IllegalStateException("Closing the station journal failed", e);
        }
    }

    private void step(String id, String state, String grade, String reason, String... from) {
        transaction(() -> {
            String current = query("select state from code where id = ?", rows -> rows.getString(1), id).stream()
                    .findFirst().orElseThrow(() -> new IllegalStateException("Code " + id + " is not in this run"));
            if (!List.of(from).contains(current)) {
                if (current.equals(state)) {
                    return; // the same step again, e.g. from a duplicated acknowledgement
                }
                throw new IllegalStateException("Code " + id + " cannot move from " + current + " to " + state);
            }
            update("update code set state = ?, grade = ?, reason = ? where id = ?", state, grade, reason, id);
            update("insert into outbox (id, state, grade, reason, at) values (?, ?, ?, ?, ?)", id, state, grade,
                    reason, Instant.now().toString());
        });
    }

    private long reservedEnd() throws SQLException {
        try (Statement sql = db.createStatement(); ResultSet rows = sql.executeQuery("select max(position) from code")) {
            rows.next();
            return rows.getLong(1) + 1;
        }
    }

    private interface Work {
        void run() throws SQLException;
    }

    private interface Row<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private void transaction(Work work) {
        try {
            work.run();
            db.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                db.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("The station journal could not record a step: " + e.getMessage(), e);
        }
    }

    private void write(String sql, Object... args) {
        transaction(() -> update(sql, args));
    }

    private void update(String sql, Object... args) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            bind(statement, args);
            statement.executeUpdate();
        }
    }

    private <T> List<T> query(String sql, Row<T> row, Object... args) {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            bind(statement, args);
            List<T> result = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    result.add(row.read(rows));
                }
            }
            db.commit();
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the station journal failed: " + e.getMessage(), e);
        }
    }

    private int countOf(String sql, Object... args) {
        return query(sql, rows -> rows.getInt(1), args).get(0);
    }

    private static void bind(PreparedStatement statement, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            statement.setObject(i + 1, args[i]);
        }
    }
}
