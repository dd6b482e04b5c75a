package io.tracemark.trace.tracing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.agroal.api.AgroalDataSource;
import io.tracemark.trace.gs1.EpcIdentifier;
import io.tracemark.trace.storage.ArrayStatements;

/**
 * Finds every event that touched an item: the events naming it, and the events of the cases and
 * pallets it travelled in while it was inside them.
 *
 * <p>An item is inside a container from the AggregationEvent (ADD or OBSERVE) that names the
 * container as parentID and the item among its childEPCs, until an AggregationEvent DELETE that
 * names both, or a DELETE on the container without childEPCs (everything unpacked). Events naming
 * the container in that span reach the item; so, recursively, do the events of the container's
 * own container, in the span both were packed. Every look-up goes through the index of
 * {@code event_epc} by canonical EPC: one query per item and one per container, or one per
 * thousand of them when a whole batch is traced ({@link Session#prefetch}), never a scan.
 *
 * <p>Events carrying an errorDeclaration are left out: they state that an event was wrong. So are
 * the events they retract: those with the same event hash (the hash leaves out eventID and
 * errorDeclaration, so a declaration repeating an event hashes as it does).
 */
@ApplicationScoped
public class Tracer {

    /** How deep containers may nest (item in case in pallet in container ...). */
    static final int MAX_DEPTH = 6;

    /** Documents larger than this are left in the database until someone asks for them. */
    static final int INLINE_DOCUMENT_LIMIT = 8_192;
    private static final String COLUMNS = "select e.id, e.event_id, e.event_type, e.action, e.biz_step, e.disposition,"
            + " e.read_point, e.biz_location, e.event_time, e.event_time_zone_offset, e.error_declaration_time,"
            // octet_length reads a stored value's size without decompressing it.
            + " e.captured_by, case when e.parties and octet_length(e.document) <= " + INLINE_DOCUMENT_LIMIT
            + " then e.document end, e.context, e.parties,"
            + " case when e.event_type = 'AggregationEvent' then (select p.epc from event_epc p where p.event_row = e.id"
            + " and p.role = 'PARENT' limit 1) end,"
            + " e.event_type = 'AggregationEvent' and exists (select 1 from event_epc c where c.event_row = e.id"
            + " and c.role = 'CHILD'),"
            + " exists (select 1 from event d where d.event_hash = e.event_hash and d.error_declaration_time is not null)";
    private static final String BY_EPC = COLUMNS + ", ee.role, ee.epc from event_epc ee join event e on e.id = ee.event_row"
            + " where ee.epc = ?";
    private static final String BY_EPCS = COLUMNS + ", ee.role, ee.epc from event_epc ee join event e on e.id = ee.event_row"
            + " where ee.epc = any (?)";
    private static final String BY_CLASS = COLUMNS + ", eq.role, eq.epc_class from event_quantity eq"
            + " join event e on e.id = eq.event_row where eq.epc_class = ?";
    /** How many EPCs one {@link Session#prefetch} query asks for. */
    static final int PREFETCH = 1_000;

    private static final JsonNode NO_PARTIES = new ObjectMapper().createObjectNode();

    private final AgroalDataSource dataSource;
    private final ObjectMapper json = new ObjectMapper();
    private final Cache<Long, JsonNode> parties = Caffeine.newBuilder().maximumSize(10_000).build();

    public Tracer(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A connection and what was read through it; one per request or per stream. */
    Session open() {
        try {
            return new Session(dataSource.getConnection(), true);
        } catch (SQLException e) {
            throw new IllegalStateException("No database connection for tracing", e);
        }
    }

    /** A session on the caller's connection, which it leaves open. */
    Session over(Connection connection) {
        return new Session(connection, false);
    }

    /** An event and the roles (EPC_LIST, PARENT, CHILD, ...) in which it names the EPC it was found by. */
    record Naming(TracedEvent event, Set<String> roles) {
    }

    final class Session implements AutoCloseable {

        private final Connection connection;
        private final boolean owned;
        // Items of one case share its events: a stream over a batch reads each container once.
        private final Map<String, List<Naming>> byEpc = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, List<Naming>> eldest) {
                return size() > 4 * PREFETCH;
            }
        };

        Session(Connection connection, boolean owned) {
            this.connection = connection;
            this.owned = owned;
        }

        Connection connection() {
            return connection;
        }

        /**
         * Every event that touched the item, in event time order: its own, its containers' while it
         * was inside them, and the recalls of its lot.
         *
         * @param itemEpc the item's canonical EPC, https://id.gs1.org/01/{GTIN-14}/21/{serial}
         * @param lotClass the canonical class of its lot, https://id.gs1.org/01/{GTIN-14}/10/{lot}, or null
         */
        List<TracedEvent> trace(String itemEpc, String lotClass) {
            Map<Long, TracedEvent> found = new LinkedHashMap<>();
            List<Naming> own = named(itemEpc);
            for (Naming naming : own) {
                found.putIfAbsent(naming.event().row(), naming.event());
            }
            follow(itemEpc, own, null, null, 0, found);
            if (lotClass != null) {
                // Every item of a lot shares its class's events: a stream over a batch reads them once.
                for (TracedEvent recall : recalls(lotClass)) {
                    found.putIfAbsent(recall.row(), recall);
                }
            }
            List<TracedEvent> events = new ArrayList<>(found.values());
            events.sort(TracedEvent.ORDER);
            return events;
        }

        /** The events naming one EPC in any role, without error declarations, in event time order. */
        List<Naming> named(String epc) {
            List<Naming> cached = byEpc.get(epc);
            if (cached == null) {
                cached = query(BY_EPC, epc).getOrDefault(epc, List.of());
                byEpc.put(epc, cached);
            }
            return cached;
        }

        /**
         * Reads the events of many items at once, {@link #PREFETCH} per query, and then those of the
         * containers they were packed in, so that tracing them one by one reads nothing more. A
         * batch streams in a few hundred queries instead of one per item and one per case.
         */
        void prefetch(List<String> epcs) {
            Set<String> parents = new HashSet<>();
            for (Naming naming : fetch(epcs)) {
                if (naming.event().isAggregation() && naming.roles().contains("CHILD") && naming.event().parent() != null) {
                    parents.add(naming.event().parent());
                }
            }
            // Pallets and the cases on them: two levels cover how goods travel; deeper nesting is read as met.
            List<Naming> containers = fetch(new ArrayList<>(parents));
            Set<String> outer = new HashSet<>();
            for (Naming naming : containers) {
                if (naming.event().isAggregation() && naming.roles().contains("CHILD") && naming.event().parent() != null) {
                    outer.add(naming.event().parent());
                }
            }
            fetch(new ArrayList<>(outer));
        }

        /** Reads the EPCs not in the cache yet; answers every naming read. */
        private List<Naming> fetch(List<String> epcs) {
            List<String> missing = epcs.stream().filter(epc -> !byEpc.containsKey(epc)).distinct().toList();
            List<Naming> read = new ArrayList<>();
            for (int from = 0; from < missing.size(); from += PREFETCH) {
                List<String> chunk = missing.subList(from, Math.min(missing.size(), from + PREFETCH));
                Map<String, List<Naming>> found;
                try {
                    found = query(BY_EPCS, connection.createArrayOf("varchar", chunk.toArray()));
                } catch (SQLException e) {
                    throw new IllegalStateException("Reading the events of " + chunk.size() + " EPCs failed", e);
                }
                for (String epc : chunk) {
                    List<Naming> named = found.getOrDefault(epc, List.of());
                    byEpc.put(epc, named);
                    read.addAll(named);
                }
            }
            return read;
        }

        private void follow(String epc, List<Naming> events, OffsetDateTime from, OffsetDateTime to, int depth,
                Map<Long, TracedEvent> found) {
            if (depth >= MAX_DEPTH) {
                return;
            }
            for (Span span : spans(epc, events, from, to)) {
                for (Naming naming : named(span.container())) {
                    if (span.covers(naming.event().eventTime())) {
                        found.putIfAbsent(naming.event().row(), naming.event().via(span.container()));
                    }
                }
                follow(span.container(), named(span.container()), span.from(), span.to(), depth + 1, found);
            }
        }

        /** The spans in which the EPC was inside a container, cut to [from, to]. */
        private List<Span> spans(String epc, List<Naming> events, OffsetDateTime from, OffsetDateTime to) {
            Map<String, OffsetDateTime> open = new LinkedHashMap<>();
            List<Span> spans = new ArrayList<>();
            for (Naming naming : events) {
                TracedEvent event = naming.event();
                if (!event.isAggregation() || !naming.roles().contains("CHILD")) {
                    continue;
                }
                String parent = event.parent();
                if (parent == null) {
                    continue;
                }
                if ("DELETE".equals(event.action())) {
                    OffsetDateTime packed = open.remove(parent);
                    if (packed != null) {
                        spans.add(new Span(parent, packed, event.eventTime()));
                    }
                } else {
                    open.putIfAbsent(parent, event.eventTime());
                }
            }
            open.forEach((parent, packed) -> spans.add(new Span(parent, packed, null)));
            List<Span> cut = new ArrayList<>();
            for (Span span : spans) {
                Span unpacked = unpackedAll(span);
                Span clipped = unpacked.clip(from, to);
                if (clipped != null) {
                    cut.add(clipped);
                }
            }
            return cut;
        }

        /** Ends a span at the first DELETE on its container that names no children (all unpacked). */
        private Span unpackedAll(Span span) {
            for (Naming naming : named(span.container())) {
                TracedEvent event = naming.event();
                if (event.isAggregation() && "DELETE".equals(event.action()) && naming.roles().contains("PARENT")
                        && !event.eventTime().isBefore(span.from()) && (span.to() == null || event.eventTime().isBefore(span.to()))
                        && !event.hasChildren()) {
                    return new Span(span.container(), span.from(), event.eventTime());
                }
            }
            return span;
        }

        /** Events by the key in the query's last column, each key's in event time order. */
        private Map<String, List<Naming>> query(String sql, Object key) {
            Map<String, Map<Long, TracedEvent>> events = new HashMap<>();
            Map<String, Map<Long, Set<String>>> roles = new HashMap<>();
            // A thousand EPCs at once is planned for its values each time, like the view's array statements.
            try (PreparedStatement select = key instanceof Array ? ArrayStatements.prepare(connection, sql)
                    : connection.prepareStatement(sql)) {
                select.setObject(1, key);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        if (rows.getObject(11) != null || rows.getBoolean(18)) {
                            continue;
                        }
                        long row = rows.getLong(1);
                        String by = rows.getString(20);
                        TracedEvent event = events.computeIfAbsent(by, k -> new LinkedHashMap<>()).get(row);
                        if (event == null) {
                            event = new TracedEvent(row, rows.getString(2), rows.getString(3), rows.getString(4),
                                    rows.getString(5), rows.getString(6), rows.getString(7), rows.getString(8),
                                    rows.getObject(9, OffsetDateTime.class), rows.getString(10), false,
                                    rows.getString(12), rows.getString(13), rows.getString(14), null, rows.getBoolean(15),
                                    rows.getString(16), rows.getBoolean(17));
                            events.get(by).put(row, event);
                        }
                        roles.computeIfAbsent(by, k -> new HashMap<>()).computeIfAbsent(row, id -> new HashSet<>())
                                .add(rows.getString(19));
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Reading the events of " + key + " failed", e);
            }
            Map<String, List<Naming>> named = new HashMap<>();
            events.forEach((by, ofKey) -> {
                List<Naming> list = new ArrayList<>();
                ofKey.forEach((row, event) -> list.add(new Naming(event, roles.get(by).get(row))));
                list.sort((a, b) -> TracedEvent.ORDER.compare(a.event(), b.event()));
                named.put(by, list);
            });
            return named;
        }

        /** The containers the EPC is inside now, with the time it was packed into each. */
        List<Span> openSpans(String epc) {
            return spans(epc, named(epc), null, null).stream().filter(span -> span.to() == null).toList();
        }

        /** The recall events of a lot class, in event time order. */
        List<TracedEvent> recalls(String lotClass) {
            List<Naming> ofLot = byEpc.get("class " + lotClass);
            if (ofLot == null) {
                ofLot = query(BY_CLASS, lotClass).getOrDefault(lotClass, List.of());
                byEpc.put("class " + lotClass, ofLot);
            }
            return ofLot.stream().map(Naming::event).filter(Tracer::isRecall).map(event -> event.via(lotClass)).toList();
        }

        @Override
        public void close() {
            if (!owned) {
                return;
            }
            try {
                connection.close();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** From packing to unpacking (null: still inside); both ends belong to the span. */
    record Span(String container, OffsetDateTime from, OffsetDateTime to) {

        boolean covers(OffsetDateTime time) {
            return !time.isBefore(from) && (to == null || !time.isAfter(to));
        }

        Span clip(OffsetDateTime start, OffsetDateTime end) {
            OffsetDateTime newFrom = start != null && start.isAfter(from) ? start : from;
            OffsetDateTime newTo = to;
            if (end != null && (newTo == null || end.isBefore(newTo))) {
                newTo = end;
            }
            if (newTo != null && newTo.isBefore(newFrom)) {
                return null;
            }
            return new Span(container, newFrom, newTo);
        }
    }

    static boolean isRecall(TracedEvent event) {
        return "recalled".equals(event.disposition()) || "recalling".equals(event.bizStep());
    }

    /** The event as captured, read from the ledger when tracing left it there. */
    JsonNode document(TracedEvent event) {
        return parse(event.document() != null ? event.document() : storedDocument(event.row()));
    }

    /**
     * What a journey reads of an event beyond its columns: its sourceList, destinationList and
     * bizTransactionList; an empty object when it names none of them, without reading the document.
     */
    JsonNode parties(TracedEvent event) {
        if (!event.parties()) {
            return NO_PARTIES;
        }
        // Ledger rows never change, so what was read of one stays true; every item of a case
        // shares its shipments.
        return parties.get(event.row(), row -> document(event));
    }

    private String storedDocument(long row) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("select document from event where id = ?")) {
            select.setLong(1, row);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    throw new IllegalStateException("event row " + row + " is not in the ledger");
                }
                return rows.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading event row " + row + " failed", e);
        }
    }

    private JsonNode parse(String document) {
        try {
            return json.readTree(document);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored EPCIS event is not JSON", e);
        }
    }

    /** The canonical form of a GS1 identifier, or null when the text is none. */
    static String canonical(String text) {
        try {
            return EpcIdentifier.parse(text).canonical();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
