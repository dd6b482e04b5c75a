package io.tracemark.trace.tracing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;
import io.tracemark.trace.epcis.LedgerAppended;
import io.tracemark.trace.epcis.LedgerEvent;
import io.tracemark.trace.storage.ArrayStatements;

/**
 * Keeps the item view in step with the ledger, inside the appending transaction (which holds the
 * ledger's head, so appends reach the view one after the other, in ledger order).
 *
 * <p>An event that comes last for every EPC it names is folded into their rows as it is: a step
 * added, a packing span opened or closed. Anything else — an event older than a row's newest step,
 * an event at the end of a span a container closed, an error declaration — marks the EPCs it
 * touches (and everything ever packed into them) for a rebuild from the ledger, done before the
 * transaction ends. So the view always reads as the full trace would (docs/item-view.md).
 */
@ApplicationScoped
public class ItemViewWriter {

    private final AgroalDataSource dataSource;
    private final Tracer tracer;

    public ItemViewWriter(AgroalDataSource dataSource, Tracer tracer) {
        this.dataSource = dataSource;
        this.tracer = tracer;
    }

    void onAppend(@Observes LedgerAppended appended) {
        try (Connection connection = dataSource.getConnection()) {
            new Fold(connection).apply(appended);
        } catch (SQLException e) {
            throw new IllegalStateException("Keeping the item view failed", e);
        }
    }

    /**
     * Rebuilds the rows of these EPCs (and lot classes) from the ledger, on the caller's connection
     * and transaction; answers how many rows were written.
     */
    int rebuild(Connection connection, Collection<String> epcs, Collection<String> classes) throws SQLException {
        Fold fold = new Fold(connection);
        fold.dirty.addAll(epcs);
        fold.dirty.addAll(classes);
        fold.classes.addAll(classes);
        return fold.rebuildDirty(false);
    }

    /** One append's work on the view. */
    private final class Fold {
        private final Connection connection;
        private final ItemViews views;
        private final Map<String, ItemView> rows = new LinkedHashMap<>();
        private final Set<String> existing = new HashSet<>();
        private final Set<String> loaded = new HashSet<>();
        /** What item_parent holds inside the containers this append unpacks whole, as it stood before it. */
        private final Map<String, List<String>> storedContents = new HashMap<>();
        /** The EPCs this append packed into each container, which item_parent does not hold yet. */
        private final Map<String, Set<String>> packedHere = new HashMap<>();
        final Set<String> dirty = new LinkedHashSet<>();
        /** The lot classes among the rows: rows of recalls, rebuilt from the class's events. */
        final Set<String> classes = new HashSet<>();

        Fold(Connection connection) {
            this.connection = connection;
            this.views = new ItemViews(connection);
        }

        void apply(LedgerAppended appended) throws SQLException {
            Set<String> named = new LinkedHashSet<>();
            for (LedgerEvent event : appended.events()) {
                event.epcs.forEach(epc -> named.add(epc.epc));
                if (isRecall(event)) {
                    event.quantities.forEach(quantity -> named.add(quantity.epcClass));
                }
            }
            read(named);
            prefetchUnpacking(appended.events());
            for (int i = 0; i < appended.events().size(); i++) {
                LedgerEvent event = appended.events().get(i);
                if (event.errorDeclarationTime != null) {
                    retract(event);
                } else {
                    fold(event, appended.documents().get(i));
                }
            }
            views.save(rows.values().stream().filter(row -> !dirty.contains(row.epc)).toList(), existing);
            rebuildDirty(true);
        }

        /**
         * Reads at once what unpacking events of the append will need, instead of a query or two
         * per event: the contents of containers unpacked whole, and the containers up the chain of
         * every container unpacked (whose steps the children keep). What the fold changes meanwhile
         * is read when it gets there.
         */
        private void prefetchUnpacking(List<LedgerEvent> events) {
            Set<String> containers = new LinkedHashSet<>();
            Set<String> whole = new LinkedHashSet<>();
            for (LedgerEvent event : events) {
                if (event.errorDeclarationTime != null || !"AggregationEvent".equals(event.eventType)
                        || !"DELETE".equals(event.action)) {
                    continue;
                }
                String parent = event.epcs.stream().filter(epc -> "PARENT".equals(epc.role)).map(epc -> epc.epc)
                        .findFirst().orElse(null);
                if (parent != null) {
                    containers.add(parent);
                    if (event.epcs.stream().noneMatch(epc -> "CHILD".equals(epc.role))) {
                        whole.add(parent);
                    }
                }
            }
            if (containers.isEmpty()) {
                return;
            }
            Map<String, List<String>> contents = views.children(whole);
            whole.forEach(container -> storedContents.put(container, contents.getOrDefault(container, List.of())));
            read(storedContents.values().stream().flatMap(List::stream).toList());
            Collection<String> level = containers;
            for (int depth = 0; depth < Tracer.MAX_DEPTH && !level.isEmpty(); depth++) {
                read(level);
                Set<String> up = new LinkedHashSet<>();
                for (String epc : level) {
                    ItemView row = rows.get(epc);
                    if (row != null) {
                        row.parents().forEach(parent -> up.add(parent.epc()));
                    }
                }
                level = up;
            }
        }

        private void read(Collection<String> epcs) {
            List<String> missing = epcs.stream().filter(loaded::add).toList();
            if (!missing.isEmpty()) {
                Map<String, ItemView> found = views.load(missing);
                rows.putAll(found);
                existing.addAll(found.keySet());
            }
        }

        private ItemView row(String epc, ItemView.Kind kind) {
            read(List.of(epc));
            return rows.computeIfAbsent(epc, key -> ItemView.empty(key, kind));
        }

        /** Folds an event into the rows of the EPCs it names: the parent first, so that its children see it. */
        private void fold(LedgerEvent event, ObjectNode document) {
            boolean aggregation = "AggregationEvent".equals(event.eventType);
            boolean delete = "DELETE".equals(event.action);
            String parent = null;
            boolean children = false;
            for (LedgerEvent.Epc epc : event.epcs) {
                parent = "PARENT".equals(epc.role) ? epc.epc : parent;
                children |= "CHILD".equals(epc.role);
            }
            ViewStep step = ViewStep.of(event.id, event.eventTime, event.eventTimeZoneOffset, event.bizStep,
                    event.disposition, event.readPoint, event.bizLocation, document, null);
            if (parent != null && add(parent, aggregation ? ItemView.Kind.CONTAINER : ItemView.Kind.ITEM, step)
                    && aggregation) {
                rows.get(parent).kind = ItemView.Kind.CONTAINER;
                if (delete && !children) {
                    unpackAll(parent, step.time());
                }
            }
            for (LedgerEvent.Epc epc : event.epcs) {
                if ("PARENT".equals(epc.role) || !add(epc.epc, ItemView.Kind.ITEM, step)) {
                    continue;
                }
                if (aggregation && "CHILD".equals(epc.role) && parent != null) {
                    if (delete) {
                        unpack(epc.epc, parent, step.time());
                    } else {
                        rows.get(epc.epc).pack(parent, step.time());
                        packedHere.computeIfAbsent(parent, key -> new LinkedHashSet<>()).add(epc.epc);
                    }
                }
            }
            if (isRecall(event)) {
                for (LedgerEvent.Quantity quantity : event.quantities) {
                    classes.add(quantity.epcClass);
                    add(quantity.epcClass, ItemView.Kind.CLASS, step.via(quantity.epcClass));
                }
            }
        }

        /** Adds the step to the EPC's row; false when the row is to be rebuilt instead. */
        private boolean add(String epc, ItemView.Kind kind, ViewStep step) {
            if (dirty.contains(epc)) {
                return false;
            }
            ItemView row = row(epc, kind);
            if (row.isLate(step.time(), step.row())) {
                markDirty(epc);
                return false;
            }
            row.add(step);
            return true;
        }

        /** Closes the packing span of a child in a container: the child keeps what the container went through. */
        private void unpack(String child, String container, OffsetDateTime at) {
            ItemView row = rows.get(child);
            ItemView.Parent span = row.unpack(container);
            if (span == null) {
                return;
            }
            List<ViewStep> inside = new ArrayList<>();
            if (!collect(container, span.since(), at, inside)) {
                markDirty(child);
                return;
            }
            inside.forEach(row::add);
            ItemView outer = rows.get(container);
            if (outer != null && (outer.unpackedAt == null || at.isAfter(outer.unpackedAt))) {
                outer.unpackedAt = at;
            }
        }

        /** A DELETE without childEPCs: everything inside the container comes out. */
        private void unpackAll(String container, OffsetDateTime at) {
            List<String> inside = new ArrayList<>(storedContents.computeIfAbsent(container,
                    key -> views.children(List.of(key)).getOrDefault(key, List.of())));
            // Children packed by this same append are not in item_parent yet.
            inside.addAll(packedHere.getOrDefault(container, Set.of()));
            read(inside);
            for (String child : new LinkedHashSet<>(inside)) {
                if (dirty.contains(child)) {
                    continue;
                }
                ItemView row = rows.get(child);
                ItemView.Parent span = row == null ? null : row.parent(container);
                if (span != null && !span.since().isAfter(at)) {
                    unpack(child, container, at);
                }
            }
        }

        /**
         * The container's steps within [from, to] and its own containers' up the chain; false when a
         * row on the way is to be rebuilt (its steps cannot be trusted yet).
         */
        private boolean collect(String container, OffsetDateTime from, OffsetDateTime to, List<ViewStep> into) {
            Set<String> chain = new HashSet<>();
            List<String> level = List.of(container);
            for (int depth = 0; depth < Tracer.MAX_DEPTH && !level.isEmpty(); depth++) {
                read(level);
                List<String> up = new ArrayList<>();
                for (String epc : level) {
                    if (dirty.contains(epc)) {
                        return false;
                    }
                    chain.add(epc);
                    ItemView row = rows.get(epc);
                    if (row != null) {
                        row.parents().forEach(parent -> up.add(parent.epc()));
                    }
                }
                level = up;
            }
            ItemViews.Climb climb = views.new Climb();
            chain.forEach(epc -> {
                if (rows.containsKey(epc)) {
                    climb.rows.put(epc, rows.get(epc));
                }
            });
            climb.collect(container, from, to, 1, into);
            return true;
        }

        /** An error declaration: the events it repeats (same event hash) leave every trace they were in. */
        private void retract(LedgerEvent declaration) {
            String sql = "select distinct x.epc from event e join event_epc x on x.event_row = e.id"
                    + " where e.event_hash = ? and e.error_declaration_time is null";
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                select.setString(1, declaration.eventHash);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        markDirty(row.getString(1));
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Reading what " + declaration.eventId + " retracts failed", e);
            }
            String classes = "select distinct q.epc_class from event e join event_quantity q on q.event_row = e.id"
                    + " where e.event_hash = ? and e.error_declaration_time is null";
            try (PreparedStatement select = connection.prepareStatement(classes)) {
                select.setString(1, declaration.eventHash);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        this.classes.add(row.getString(1));
                        markDirty(row.getString(1));
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Reading what " + declaration.eventId + " retracts failed", e);
            }
        }

        private void markDirty(String epc) {
            dirty.add(epc);
        }

        /**
         * Rebuilds the dirty rows from the ledger, and with each container everything ever packed
         * into it (whose rows hold the container's steps), down to the depth tracing follows.
         */
        int rebuildDirty(boolean withContents) throws SQLException {
            if (dirty.isEmpty()) {
                return 0;
            }
            customPlans(connection);
            Set<String> all = new LinkedHashSet<>(dirty);
            if (withContents) {
                Collection<String> level = dirty;
                for (int depth = 0; depth < Tracer.MAX_DEPTH && !level.isEmpty(); depth++) {
                    Set<String> next = everPacked(level);
                    next.removeAll(all);
                    all.addAll(next);
                    level = next;
                }
            }
            List<ItemView> rebuilt = new ArrayList<>();
            Map<String, ItemView> before = views.load(all);
            try (Tracer.Session session = tracer.over(connection)) {
                List<String> list = new ArrayList<>(all);
                session.prefetch(list.stream().filter(epc -> !isClass(epc, before)).toList());
                for (String epc : list) {
                    rebuilt.add(rebuild(session, epc, before.get(epc), isClass(epc, before)));
                }
            }
            views.save(rebuilt, before.keySet());
            return rebuilt.size();
        }

        private boolean isClass(String epc, Map<String, ItemView> before) {
            return classes.contains(epc) || before.containsKey(epc) && before.get(epc).kind == ItemView.Kind.CLASS;
        }

        private ItemView rebuild(Tracer.Session session, String epc, ItemView before, boolean isClass) {
            if (isClass) {
                List<ViewStep> steps = new ArrayList<>();
                for (TracedEvent recall : session.recalls(epc)) {
                    steps.add(ViewStep.of(recall, tracer));
                }
                return ItemView.rebuilt(epc, ItemView.Kind.CLASS, steps, List.of(), null);
            }
            List<ViewStep> steps = new ArrayList<>();
            for (TracedEvent event : session.trace(epc, null)) {
                steps.add(ViewStep.of(event, tracer));
            }
            List<ItemView.Parent> parents = session.openSpans(epc).stream()
                    .map(span -> new ItemView.Parent(span.container(), ItemViews.utc(span.from()))).toList();
            boolean container = false;
            OffsetDateTime unpackedAt = null;
            for (Tracer.Naming naming : session.named(epc)) {
                TracedEvent event = naming.event();
                if (event.isAggregation() && naming.roles().contains("PARENT")) {
                    container = true;
                    if ("DELETE".equals(event.action()) && (unpackedAt == null || event.eventTime().isAfter(unpackedAt))) {
                        unpackedAt = ItemViews.utc(event.eventTime());
                    }
                }
            }
            ItemView.Kind kind = container ? ItemView.Kind.CONTAINER
                    : before != null && before.kind == ItemView.Kind.CONTAINER ? ItemView.Kind.CONTAINER : ItemView.Kind.ITEM;
            return ItemView.rebuilt(epc, kind, steps, parents, unpackedAt);
        }

        /** The EPCs ever packed into these containers, from the ledger's aggregation events. */
        private Set<String> everPacked(Collection<String> containers) throws SQLException {
            Set<String> found = new LinkedHashSet<>();
            String sql = "select distinct c.epc from event_epc p join event_epc c on c.event_row = p.event_row"
                    + " and c.role = 'CHILD' where p.role = 'PARENT' and p.epc = any (?)";
            List<String> all = new ArrayList<>(containers);
            for (int from = 0; from < all.size(); from += ItemViews.CHUNK) {
                try (PreparedStatement select = ArrayStatements.prepare(connection, sql)) {
                    select.setArray(1, connection.createArrayOf("varchar",
                            all.subList(from, Math.min(all.size(), from + ItemViews.CHUNK)).toArray()));
                    try (ResultSet row = select.executeQuery()) {
                        while (row.next()) {
                            found.add(row.getString(1));
                        }
                    }
                }
            }
            return found;
        }
    }

    /**
     * A rebuild reads the ledger with statements by one key whose rows differ widely from one key to
     * the next (an item's few events, a pallet's many): planned once for all keys, they made some
     * rebuilds of a thousand late events take up to seven seconds instead of about one (bench/ledger). The
     * rest of the transaction plans each of them for its own values. The in-order path, one-row
     * updates by primary key, keeps its plans: planning each again cost about 20 microseconds a row.
     */
    private static void customPlans(Connection connection) throws SQLException {
        if (connection.getMetaData().getDatabaseProductName().startsWith("PostgreSQL")) {
            try (PreparedStatement set = connection.prepareStatement("set local plan_cache_mode = force_custom_plan")) {
                set.execute();
            }
        }
    }

    private static boolean isRecall(LedgerEvent event) {
        return "recalled".equals(event.disposition) || "recalling".equals(event.bizStep);
    }


}
