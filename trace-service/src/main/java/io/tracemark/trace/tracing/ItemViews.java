package io.tracemark.trace.tracing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The item view's rows, read and written with plain JDBC on the caller's connection (a ledger
 * append's transaction, a scan's, a stream's). One row mapper: {@link #load}.
 */
final class ItemViews {

    /** How many EPCs one query asks for. */
    static final int CHUNK = 1_000;

    private static final String SELECT = "select v.epc, v.kind, v.unpacked_at, v.steps, p.parent, p.since"
            + " from item_view v left join item_parent p on p.child = v.epc where v.epc = any (?)";
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
        Map<String, ItemView> rows = new HashMap<>();
        List<String> all = List.copyOf(new LinkedHashSet<>(epcs));
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            Map<String, List<ItemView.Parent>> parents = new HashMap<>();
            Map<String, String[]> columns = new LinkedHashMap<>();
            Map<String, OffsetDateTime> unpacked = new HashMap<>();
            try (PreparedStatement select = connection.prepareStatement(SELECT)) {
                select.setArray(1, connection.createArrayOf("varchar", chunk.toArray()));
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        String epc = row.getString(1);
                        if (!columns.containsKey(epc)) {
                            columns.put(epc, new String[] { row.getString(2), row.getString(4) });
                            unpacked.put(epc, row.getObject(3, OffsetDateTime.class));
                        }
                        List<ItemView.Parent> of = parents.computeIfAbsent(epc, k -> new ArrayList<>());
                        if (row.getString(5) != null) {
                            of.add(new ItemView.Parent(row.getString(5), row.getObject(6, OffsetDateTime.class)));
                        }
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Reading the item view of " + chunk.size() + " EPCs failed", e);
            }
            columns.forEach((epc, kindAndSteps) -> rows.put(epc, new ItemView(epc, ItemView.Kind.of(kindAndSteps[0]),
                    StepCodec.read(kindAndSteps[1]), parents.get(epc), unpacked.get(epc))));
        }
        return rows;
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
            try (PreparedStatement delete = connection.prepareStatement("delete from item_view where epc = any (?)")) {
                delete.setArray(1, connection.createArrayOf("varchar", gone.toArray()));
                delete.executeUpdate();
            }
        }
        replaceParents(rows);
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
        ItemStory story = row.story();
        ViewStep last = row.last();
        statement.setString(1, row.kind.column());
        statement.setObject(2, utc(last.time()));
        statement.setLong(3, last.row());
        statement.setString(4, story.disposition());
        statement.setString(5, story.bizStep());
        statement.setString(6, story.location());
        statement.setString(7, story.custodian());
        statement.setObject(8, utc(story.commissionedAt()));
        statement.setObject(9, story.sale() == null ? null : utc(story.sale().time()));
        statement.setString(10, story.sale() == null ? null : story.sale().place());
        statement.setObject(11, utc(story.recalledAt()));
        statement.setObject(12, utc(row.unpackedAt));
        statement.setString(13, StepCodec.write(row.steps()));
        statement.setString(14, row.epc);
    }

    /** The EPCs inside a container now. */
    List<String> children(String container) {
        List<String> children = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("select child from item_parent where parent = ?")) {
            select.setString(1, container);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    children.add(row.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the contents of " + container + " failed", e);
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

        /** Reads the EPCs' rows and their containers' up the chain. */
        void read(Collection<String> epcs) {
            Collection<String> wanted = epcs;
            for (int depth = 0; depth <= Tracer.MAX_DEPTH && !wanted.isEmpty(); depth++) {
                List<String> missing = wanted.stream().filter(asked::add).toList();
                if (missing.isEmpty()) {
                    break;
                }
                Map<String, ItemView> found = load(missing);
                rows.putAll(found);
                Set<String> up = new LinkedHashSet<>();
                found.values().forEach(row -> row.parents().forEach(parent -> up.add(parent.epc())));
                wanted = up;
            }
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
