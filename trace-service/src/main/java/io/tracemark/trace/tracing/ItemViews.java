package io.tracemark.trace.tracing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tracemark.trace.storage.ArrayStatements;

/**
 * The item view's rows, read and written with plain JDBC on the caller's connection (a ledger
 * append's transaction, a scan's, a stream's). One row mapper: {@link #load}.
 */
final class ItemViews {

    /** How many EPCs one query asks for. */
    static final int CHUNK = 1_000;

    /**
     * At most this many EPCs are named one parameter each, in a statement PostgreSQL plans once per
     * connection: a scan or a trace reads one to three rows at a time, and planning the array
     * statement each time cost it three times what running it did (131 µs against 56 µs, measured
     * with pg_stat_statements on the scan benchmark). More go as one array ({@link ArrayStatements}).
     */
    static final int FEW = 4;

    private static final ByKeys SELECT = new ByKeys("select v.epc, v.kind, v.unpacked_at, v.steps, v.last_time,"
            + " v.last_row, v.commissioned_at, v.disposition, v.biz_step, v.location, v.custodian, v.sold_at,"
            + " v.sold_place, v.recalled_at, p.parent, p.since from item_view v left join item_parent p"
            + " on p.child = v.epc where v.epc");
    /** The same without the steps' text, which a batch stream needs of few rows. */
    private static final ByKeys SELECT_SUMMARY = new ByKeys(SELECT.prefix.replace("v.steps", "null"));
    private static final ByKeys SELECT_TEXT = new ByKeys("select epc, steps from item_view where epc");
    private static final String INSERT = "insert into item_view (kind, last_time, last_row, disposition, biz_step,"
            + " location, custodian, commissioned_at, sold_at, sold_place, recalled_at, unpacked_at, steps, epc)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE = "update item_view set kind = ?, last_time = ?, last_row = ?, disposition = ?,"
            + " biz_step = ?, location = ?, custodian = ?, commissioned_at = ?, sold_at = ?, sold_place = ?,"
            + " recalled_at = ?, unpacked_at = ?, steps = ? where epc = ?";

    private final Connection connection;

    ItemViews(Connection connection) {
        this.connection = connection;
    }

    /** The rows of the EPCs that have one, with the containers each is inside now. */
    Map<String, ItemView> load(Collection<String> epcs) {
        return load(epcs, true);
    }

    /**
     * The rows of the EPCs that have one, with the containers each is inside now; with their steps'
     * text, or without (a row then reads it when it needs it; {@link #readSteps} reads many at once).
     */
    Map<String, ItemView> load(Collection<String> epcs, boolean withSteps) {
        Map<String, ItemView> rows = new HashMap<>();
        List<String> all = List.copyOf(new LinkedHashSet<>(epcs));
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            Map<String, List<ItemView.Parent>> parents = new HashMap<>();
            Map<String, Stored> stored = new LinkedHashMap<>();
            try (PreparedStatement select = (withSteps ? SELECT : SELECT_SUMMARY).prepare(connection, chunk)) {
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        String epc = row.getString(1);
                        if (!stored.containsKey(epc)) {
                            stored.put(epc, stored(row));
                        }
                        List<ItemView.Parent> of = parents.computeIfAbsent(epc, k -> new ArrayList<>());
                        if (row.getString(15) != null) {
                            of.add(new ItemView.Parent(row.getString(15), utc(row.getObject(16, OffsetDateTime.class))));
                        }
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Reading the item view of " + chunk.size() + " EPCs failed", e);
            }
            stored.forEach((epc, row) -> rows.put(epc, ItemView.stored(epc, row.kind(), row.steps(), this::text,
                    row.summary(), parents.get(epc), row.unpackedAt())));
        }
        return rows;
    }

    /** Reads at once the steps' text of those rows that were read without it. */
    void readSteps(Collection<ItemView> rows) {
        Map<String, ItemView> wanting = new LinkedHashMap<>();
        rows.stream().filter(row -> !row.hasSteps()).forEach(row -> wanting.put(row.epc, row));
        texts(List.copyOf(wanting.keySet())).forEach((epc, text) -> wanting.get(epc).readText(text));
    }

    /** The steps' text of one row read without it. */
    private String text(String epc) {
        return texts(List.of(epc)).getOrDefault(epc, "[]");
    }

    /** The steps' text of these EPCs' rows. */
    private Map<String, String> texts(List<String> epcs) {
        Map<String, String> texts = new HashMap<>();
        for (int from = 0; from < epcs.size(); from += CHUNK) {
            List<String> chunk = epcs.subList(from, Math.min(epcs.size(), from + CHUNK));
            try (PreparedStatement select = SELECT_TEXT.prepare(connection, chunk)) {
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        texts.put(row.getString(1), row.getString(2));
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Reading the steps of " + chunk.size() + " EPCs failed", e);
            }
        }
        return texts;
    }

    /**
     * A select whose rows are named by their keys: {@code prefix in (?, ?)} for {@link #FEW} keys or
     * fewer, a statement of its own for each count, else {@code prefix = any (?)}.
     */
    private static final class ByKeys {
        final String prefix;
        private final String[] few = new String[FEW + 1];

        ByKeys(String prefix) {
            this.prefix = prefix;
            for (int n = 1; n <= FEW; n++) {
                few[n] = prefix + " in (" + String.join(", ", Collections.nCopies(n, "?")) + ")";
            }
        }

        PreparedStatement prepare(Connection connection, List<String> keys) throws SQLException {
            boolean array = keys.isEmpty() || keys.size() > FEW;
            PreparedStatement statement = array ? ArrayStatements.prepare(connection, prefix + " = any (?)")
                    : connection.prepareStatement(few[keys.size()]);
            try {
                if (array) {
                    statement.setArray(1, connection.createArrayOf("varchar", keys.toArray()));
                } else {
                    for (int i = 0; i < keys.size(); i++) {
                        statement.setString(i + 1, keys.get(i));
                    }
                }
                return statement;
            } catch (SQLException | RuntimeException e) {
                statement.close();
                throw e;
            }
        }
    }

    /** The columns of one stored row. */
    private record Stored(ItemView.Kind kind, OffsetDateTime unpackedAt, String steps, ItemStory.Summary summary) {
    }

    private static Stored stored(ResultSet row) throws SQLException {
        ItemStory.Summary summary = new ItemStory.Summary(utc(row.getObject(5, OffsetDateTime.class)), row.getLong(6),
                utc(row.getObject(7, OffsetDateTime.class)), row.getString(8), row.getString(9), row.getString(10),
                row.getString(11), utc(row.getObject(12, OffsetDateTime.class)), row.getString(13),
                utc(row.getObject(14, OffsetDateTime.class)));
        return new Stored(ItemView.Kind.of(row.getString(2)), utc(row.getObject(3, OffsetDateTime.class)),
                row.getString(4), summary);
    }

    /** Writes the rows: new ones inserted, known ones updated, emptied ones removed; their parents as they stand. */
    void save(Collection<ItemView> rows, Set<String> existing) throws SQLException {
        List<String> gone = new ArrayList<>();
        try (PreparedStatement insert = connection.prepareStatement(INSERT);
                PreparedStatement update = connection.prepareStatement(UPDATE)) {
            for (ItemView row : rows) {
                if (row.isEmpty()) {
                    gone.add(row.epc);
                    continue;
                }
                PreparedStatement statement = existing.contains(row.epc) ? update : insert;
                bind(statement, row);
                statement.addBatch();
            }
            insert.executeBatch();
            update.executeBatch();
        }
        if (!gone.isEmpty()) {
            try (PreparedStatement delete = ArrayStatements.prepare(connection, "delete from item_view where epc = any (?)")) {
                delete.setArray(1, connection.createArrayOf("varchar", gone.toArray()));
                delete.executeUpdate();
            }
        }
        replaceParents(rows.stream().filter(ItemView::parentsChanged).toList());
    }

    /**
     * Writes the containers the rows entered and left: single-row statements on the primary key,
     * since most captures change none and a packing adds rows without removing any. A rebuilt row's
     * replace whatever is stored for it.
     */
    private void replaceParents(Collection<ItemView> rows) throws SQLException {
        try (PreparedStatement clear = connection.prepareStatement("delete from item_parent where child = ?");
                PreparedStatement leave = connection.prepareStatement(
                        "delete from item_parent where child = ? and parent = ?");
                PreparedStatement enter = connection.prepareStatement(
                        "insert into item_parent (child, parent, since) values (?, ?, ?)")) {
            for (ItemView row : rows) {
                if (row.isRebuilt()) {
                    clear.setString(1, row.epc);
                    clear.addBatch();
                }
                for (ItemView.Parent parent : row.unpacked()) {
                    leave.setString(1, row.epc);
                    leave.setString(2, parent.epc());
                    leave.addBatch();
                }
                for (ItemView.Parent parent : row.packed()) {
                    enter.setString(1, row.epc);
                    enter.setString(2, parent.epc());
                    enter.setObject(3, utc(parent.since()));
                    enter.addBatch();
                }
            }
            clear.executeBatch();
            leave.executeBatch();
            enter.executeBatch();
        }
    }

    private static void bind(PreparedStatement statement, ItemView row) throws SQLException {
        ItemStory.Summary summary = row.summary();
        statement.setString(1, row.kind.column());
        statement.setObject(2, utc(summary.since()));
        statement.setLong(3, summary.lastRow());
        statement.setString(4, summary.disposition());
        statement.setString(5, summary.bizStep());
        statement.setString(6, summary.location());
        statement.setString(7, summary.custodian());
        statement.setObject(8, utc(summary.commissionedAt()));
        statement.setObject(9, utc(summary.soldAt()));
        statement.setString(10, summary.soldPlace());
        statement.setObject(11, utc(summary.recalledAt()));
        statement.setObject(12, utc(row.unpackedAt));
        statement.setString(13, row.stepsText());
        statement.setString(14, row.epc);
    }

    /** The EPCs inside each of these containers now (containers holding nothing are left out). */
    Map<String, List<String>> children(Collection<String> containers) {
        Map<String, List<String>> children = new HashMap<>();
        List<String> all = List.copyOf(containers);
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            try (PreparedStatement select = ArrayStatements.prepare(connection,
                    "select parent, child from item_parent where parent = any (?)")) {
                select.setArray(1, connection.createArrayOf("varchar", chunk.toArray()));
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        children.computeIfAbsent(row.getString(1), k -> new ArrayList<>()).add(row.getString(2));
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Reading the contents of " + chunk.size() + " containers failed", e);
            }
        }
        return children;
    }

    /** Times are stored as UTC instants, as the ledger's are. */
    static OffsetDateTime utc(OffsetDateTime time) {
        return time == null ? null : time.withOffsetSameInstant(ZoneOffset.UTC);
    }

    /**
     * Reads rows and climbs to the containers they are inside, up to {@link Tracer#MAX_DEPTH}, each
     * row once: what a reader needs to tell the stories of these EPCs.
     */
    final class Climb {
        final Map<String, ItemView> rows = new HashMap<>();
        private final Set<String> asked = new java.util.HashSet<>();

        /** Lets go of an item's row once its story is told (its containers stay). */
        void forget(String epc) {
            ItemView row = rows.get(epc);
            if (row != null && row.kind == ItemView.Kind.ITEM) {
                rows.remove(epc);
                asked.remove(epc);
            }
        }

        /** Reads the EPCs' rows and their containers' up the chain, with their steps. */
        void read(Collection<String> epcs) {
            read(epcs, true);
        }

        /**
         * Reads the EPCs' rows, with their steps or without (a batch stream reads the steps of those
         * items only whose fold needs them: {@link #readStepsForSummaries}), and their containers'
         * up the chain with theirs.
         */
        void read(Collection<String> epcs, boolean withSteps) {
            Collection<String> wanted = epcs;
            for (int depth = 0; depth <= Tracer.MAX_DEPTH && !wanted.isEmpty(); depth++) {
                List<String> missing = wanted.stream().filter(asked::add).toList();
                if (missing.isEmpty()) {
                    break;
                }
                Map<String, ItemView> found = load(missing, withSteps || depth > 0);
                rows.putAll(found);
                Set<String> up = new LinkedHashSet<>();
                found.values().forEach(row -> row.parents().forEach(parent -> up.add(parent.epc())));
                wanted = up;
            }
        }

        /** Reads at once the steps of those EPCs whose {@link #summary} is folded from the whole story. */
        void readStepsForSummaries(Collection<String> epcs, String lotClass) {
            readSteps(epcs.stream().map(rows::get)
                    .filter(row -> row != null && !foldsFromColumns(row, lotClass)).toList());
        }

        /**
         * The EPC's story: its row's steps, the lot's recalls, and the steps of the containers it
         * is inside since it was packed into them (theirs since they were packed, up the chain).
         */
        ItemStory story(String epc, String lotClass) {
            ItemView row = rows.get(epc);
            List<ViewStep> steps = new ArrayList<>();
            if (row != null) {
                steps.addAll(row.steps());
                for (ItemView.Parent parent : row.parents()) {
                    collect(parent.epc(), parent.since(), null, 1, steps);
                }
            }
            ItemView lot = lotClass == null ? null : rows.get(lotClass);
            if (lot != null) {
                steps.addAll(lot.steps());
            }
            return steps.isEmpty() ? ItemStory.NONE : ItemStory.of(steps);
        }

        /**
         * The fold of the EPC's story: from the row's summary columns, without reading its steps, when
         * it is inside no container and its lot's recalls all come after its last step (an item on a
         * shelf, sold or recalled); from its whole story otherwise. Equal to
         * {@code Summary.of(story(epc, lotClass).steps())} either way (ItemViewCheck compares them).
         */
        ItemStory.Summary summary(String epc, String lotClass) {
            ItemView row = rows.get(epc);
            if (row == null || !foldsFromColumns(row, lotClass)) {
                return ItemStory.Summary.of(story(epc, lotClass).steps());
            }
            ItemStory.Summary summary = row.summary();
            for (ViewStep recall : recalls(lotClass)) {
                summary = summary.then(recall);
            }
            return summary;
        }

        /** Whether the row is inside no container and its lot's recalls all come after its last step. */
        private boolean foldsFromColumns(ItemView row, String lotClass) {
            if (!row.parents().isEmpty()) {
                return false;
            }
            ItemStory.Summary summary = row.summary();
            for (ViewStep recall : recalls(lotClass)) {
                if (!summary.comesAfterLast(recall.time(), recall.row())) {
                    return false;
                }
                summary = summary.then(recall);
            }
            return true;
        }

        private List<ViewStep> recalls(String lotClass) {
            ItemView lot = lotClass == null ? null : rows.get(lotClass);
            return lot == null ? List.of() : lot.steps();
        }

        /** The steps of a container within [from, to], and its containers' within the same span. */
        void collect(String container, OffsetDateTime from, OffsetDateTime to, int depth, List<ViewStep> into) {
            ItemView row = rows.get(container);
            if (row == null || depth > Tracer.MAX_DEPTH) {
                return;
            }
            for (ViewStep step : row.steps()) {
                if (step.within(from, to)) {
                    into.add(step.via() == null ? step.via(container) : step);
                }
            }
            for (ItemView.Parent parent : row.parents()) {
                OffsetDateTime since = parent.since().isAfter(from) ? parent.since() : from;
                if (to == null || !since.isAfter(to)) {
                    collect(parent.epc(), since, to, depth + 1, into);
                }
            }
        }
    }
}
