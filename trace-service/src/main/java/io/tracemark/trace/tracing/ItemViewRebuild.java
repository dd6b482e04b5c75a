package io.tracemark.trace.tracing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.tracemark.trace.problem.ProblemException;

/**
 * Rebuilds the whole item view from the ledger: after an upgrade that changes what the view keeps,
 * or after a backup was restored. EPCs are rebuilt in EPC order, a chunk per transaction that
 * holds the ledger's head (captures wait for one chunk, not for the rebuild); the last EPC done is
 * the cursor in {@code item_view_rebuild}, so a rebuild cut short (the service stopped, the
 * database went away) goes on from there when asked again.
 */
@ApplicationScoped
public class ItemViewRebuild {

    private static final Logger LOG = Logger.getLogger(ItemViewRebuild.class);

    /** EPCs per transaction. */
    static final int CHUNK = 500;

    /** Where a rebuild stands. */
    public record Progress(String state, OffsetDateTime startedAt, OffsetDateTime finishedAt, long done, long total,
            String cursor, String error) {
    }

    private final AgroalDataSource dataSource;
    private final ItemViewWriter writer;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "item-view-rebuild");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean stopping;

    public ItemViewRebuild(AgroalDataSource dataSource, ItemViewWriter writer) {
        this.dataSource = dataSource;
        this.writer = writer;
    }

    /** Where the last rebuild stands; state "none" when there was none. */
    public Progress progress() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("select state, started_at, finished_at, done,"
                        + " total, cursor_epc, error from item_view_rebuild where id = 1");
                ResultSet row = select.executeQuery()) {
            if (!row.next()) {
                return new Progress("none", null, null, 0, 0, null, null);
            }
            String state = row.getString(1);
            if ("running".equals(state) && !running.get()) {
                // Written by a run that stopped without finishing (this instance, or one that went away).
                state = "interrupted";
            }
            return new Progress(state, row.getObject(2, OffsetDateTime.class), row.getObject(3, OffsetDateTime.class),
                    row.getLong(4), row.getLong(5), row.getString(6), row.getString(7));
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the item view rebuild's progress failed", e);
        }
    }

    /**
     * Starts a rebuild in the background: over from the first EPC, or, when the last one did not
     * finish and {@code restart} is false, from its cursor.
     *
     * @throws ProblemException 409 while a rebuild runs on this instance
     */
    public Progress start(boolean restart) {
        if (!running.compareAndSet(false, true)) {
            throw ProblemException.conflict("A rebuild of the item view is running; GET tells how far it has got");
        }
        try {
            Progress last = progress();
            boolean resume = !restart && !"done".equals(last.state()) && !"none".equals(last.state());
            QuarkusTransaction.requiringNew().run(() -> begin(resume));
            worker.submit(this::run);
            return progress();
        } catch (RuntimeException e) {
            running.set(false);
            throw e;
        }
    }

    private void begin(boolean resume) {
        try (Connection connection = dataSource.getConnection()) {
            long total = count(connection);
            String sql = resume
                    ? "update item_view_rebuild set state = 'running', total = ?, error = null, finished_at = null where id = 1"
                    : "delete from item_view_rebuild";
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                if (resume) {
                    statement.setLong(1, total);
                }
                statement.executeUpdate();
            }
            if (!resume) {
                try (PreparedStatement insert = connection.prepareStatement("insert into item_view_rebuild (id, state,"
                        + " started_at, done, total) values (1, 'running', ?, 0, ?)")) {
                    insert.setObject(1, OffsetDateTime.now(ZoneOffset.UTC));
                    insert.setLong(2, total);
                    insert.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Starting the item view rebuild failed", e);
        }
    }

    private static final String EPCS = "select epc from (select distinct epc from event_epc where epc > ?) e"
            + " order by epc limit " + CHUNK;
    private static final String CLASSES = "select distinct q.epc_class from event_quantity q join event e"
            + " on e.id = q.event_row where e.disposition = 'recalled' or e.biz_step = 'recalling'";

    private static long count(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("select count(distinct epc) from event_epc");
                ResultSet row = select.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    private void run() {
        try {
            boolean more = true;
            while (more && !stopping) {
                more = QuarkusTransaction.requiringNew().call(this::chunk);
            }
            if (!stopping) {
                QuarkusTransaction.requiringNew().run(this::finish);
                LOG.infof("The item view was rebuilt from the ledger (%d EPCs)", progress().done());
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "Rebuilding the item view failed; asked again, it goes on from where it stopped");
            QuarkusTransaction.requiringNew().run(() -> fail(e));
        } finally {
            running.set(false);
        }
    }

    /** Rebuilds the next chunk of EPCs after the cursor; false when none was left. */
    private boolean chunk() {
        try (Connection connection = dataSource.getConnection()) {
            lockLedger(connection);
            String cursor;
            try (PreparedStatement select = connection.prepareStatement("select cursor_epc from item_view_rebuild where id = 1");
                    ResultSet row = select.executeQuery()) {
                row.next();
                cursor = row.getString(1);
            }
            List<String> epcs = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(EPCS)) {
                select.setString(1, cursor == null ? "" : cursor);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        epcs.add(row.getString(1));
                    }
                }
            }
            if (epcs.isEmpty()) {
                return false;
            }
            writer.rebuild(connection, epcs, List.of());
            try (PreparedStatement update = connection.prepareStatement(
                    "update item_view_rebuild set cursor_epc = ?, done = done + ? where id = 1")) {
                update.setString(1, epcs.get(epcs.size() - 1));
                update.setLong(2, epcs.size());
                update.executeUpdate();
            }
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException("Rebuilding the item view failed", e);
        }
    }

    /** The lots' recall rows, and rows of EPCs the ledger no longer names (a restored backup) removed. */
    private void finish() {
        try (Connection connection = dataSource.getConnection()) {
            lockLedger(connection);
            List<String> classes = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(CLASSES); ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    classes.add(row.getString(1));
                }
            }
            writer.rebuild(connection, List.of(), classes);
            for (String sql : List.of("delete from item_parent p where not exists (select 1 from event_epc e where e.epc = p.child)",
                    "delete from item_view v where v.kind <> 'class' and not exists (select 1 from event_epc e where e.epc = v.epc)",
                    "update item_view_rebuild set state = 'done', finished_at = ? where id = 1")) {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    if (sql.startsWith("update")) {
                        statement.setObject(1, OffsetDateTime.now(ZoneOffset.UTC));
                    }
                    statement.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Finishing the item view rebuild failed", e);
        }
    }

    private void fail(RuntimeException cause) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "update item_view_rebuild set state = 'failed', error = ? where id = 1")) {
            String message = String.valueOf(cause.getMessage());
            update.setString(1, message.length() > 2_000 ? message.substring(0, 2_000) : message);
            update.executeUpdate();
        } catch (SQLException e) {
            LOG.warnf(e, "Recording that the item view rebuild failed failed too");
        }
    }

    /** Holds the ledger's head, as appends do: no capture folds into the view while a chunk is rebuilt. */
    private static void lockLedger(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("select events from ledger_head where id = 1 for update");
                ResultSet row = lock.executeQuery()) {
            row.next();
        }
    }

    /**
     * A ledger that has events but whose view was never built (the view is new in this version, or
     * came back empty) gets it built; a rebuild the last stop interrupted goes on.
     */
    void onStart(@Observes StartupEvent start) {
        Progress last = progress();
        if ("interrupted".equals(last.state()) || "none".equals(last.state()) && ledgerHasEvents()) {
            LOG.infof("Building the item view from the ledger in the background (%s)",
                    "none".equals(last.state()) ? "first start of this version" : "going on after an interruption");
            start(false);
        } else if ("none".equals(last.state())) {
            QuarkusTransaction.requiringNew().run(() -> {
                begin(false);
                finish();
            });
        }
    }

    private boolean ledgerHasEvents() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("select 1 from event fetch first 1 rows only");
                ResultSet row = select.executeQuery()) {
            return row.next();
        } catch (SQLException e) {
            throw new IllegalStateException("Reading whether the ledger has events failed", e);
        }
    }

    @PreDestroy
    void stop() {
        stopping = true;
        worker.shutdown();
    }
}
