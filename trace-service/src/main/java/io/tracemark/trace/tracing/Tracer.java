package io.tracemark.trace.tracing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.tracemark.trace.gs1.EpcIdentifier;

/**
 * Finds every event that touched an item: the events naming it, and the events of the cases and
 * pallets it travelled in while it was inside them.
 *
 * <p>An item is inside a container from the AggregationEvent (ADD or OBSERVE) that names the
 * container as parentID and the item among its childEPCs, until an AggregationEvent DELETE that
 * names both, or a DELETE on the container without childEPCs (everything unpacked). Events naming
 * the container in that span reach the item; so, recursively, do the events of the container's
 * own container, in the span both were packed. Every look-up goes through the index of
 * {@code event_epc} by canonical EPC: one query per item and one per container, never a scan.
 *
 * <p>Events carrying an errorDeclaration are left out: they state that an event was wrong.
 */
@ApplicationScoped
public class Tracer {

    /** How deep containers may nest (item in case in pallet in container ...). */
    static final int MAX_DEPTH = 6;

    private static final String COLUMNS = "select e.id, e.event_id, e.event_type, e.action, e.biz_step, e.disposition,"
            + " e.read_point, e.biz_location, e.event_time, e.event_time_zone_offset, e.error_declaration_time,"
            + " e.captured_by, e.document, e.context";
    private static final String BY_EPC = COLUMNS + ", ee.role from event_epc ee join event e on e.id = ee.event_row"
            + " where ee.epc = ?";
    private static final String BY_CLASS = COLUMNS + ", eq.role from event_quantity eq join event e on e.id = eq.event_row"
            + " where eq.epc_class = ?";

    private final AgroalDataSource dataSource;
    private final ObjectMapper json = new ObjectMapper();

    public Tracer(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A connection and what was read through it; one per request or per stream. */
    Session open() {
        try {
            return new Session(dataSource.getConnection());
        } catch (SQLException e) {
            throw new IllegalStateException("No database connection for tracing", e);
        }
    }

    /** An event and the roles (EPC_LIST, PARENT, CHILD, ...) in which it names the EPC it was found by. */
    record Naming(TracedEvent event, Set<String> roles) {
    }

    final class Session implements AutoCloseable {

        private final Connection connection;
        // Items of one case share its events: a stream over a batch reads each container once.
        private final Map<String, List<Naming>> byEpc = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, List<Naming>> eldest) {
                return size() > 512;
            }
        };

        Session(Connection connection) {
            this.connection = connection;
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
                List<Naming> ofLot = byEpc.get("class " + lotClass);
                if (ofLot == null) {
                    ofLot = query(BY_CLASS, lotClass);
                    byEpc.put("class " + lotClass, ofLot);
                }
                for (Naming naming : ofLot) {
                    TracedEvent event = naming.event();
                    if (isRecall(event)) {
                        found.putIfAbsent(event.row(), event.via(lotClass));
                    }
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
                cached = query(BY_EPC, epc);
                byEpc.put(epc, cached);
            }
            return cached;
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
                String parent = parentOf(event);
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
                        && !hasChildren(event)) {
                    return new Span(span.container(), span.from(), event.eventTime());
                }
            }
            return span;
        }

        private List<Naming> query(String sql, String key) {
            Map<Long, TracedEvent> events = new LinkedHashMap<>();
            Map<Long, Set<String>> roles = new LinkedHashMap<>();
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                select.setString(1, key);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        long row = rows.getLong(1);
                        if (rows.getObject(11) != null) {
                            continue;
                        }
                        events.computeIfAbsent(row, id -> {
                            try {
                                return new TracedEvent(id, rows.getString(2), rows.getString(3), rows.getString(4),
                                        rows.getString(5), rows.getString(6), rows.getString(7), rows.getString(8),
                                        rows.getObject(9, OffsetDateTime.class), rows.getString(10), false,
                                        rows.getString(12), rows.getString(13), rows.getString(14), null);
                            } catch (SQLException e) {
                                throw new IllegalStateException(e);
                            }
                        });
                        roles.computeIfAbsent(row, id -> new HashSet<>()).add(rows.getString(15));
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Reading the events of " + key + " failed", e);
            }
            List<Naming> named = new ArrayList<>();
            events.forEach((row, event) -> named.add(new Naming(event, roles.get(row))));
            named.sort((a, b) -> TracedEvent.ORDER.compare(a.event(), b.event()));
            return named;
        }

        @Override
        public void close() {
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

    /** The event as captured. */
    JsonNode document(TracedEvent event) {
        try {
            return json.readTree(event.document());
        } catch (IOException e) {
            throw new UncheckedIOException("a stored EPCIS event is not JSON", e);
        }
    }

    /** The canonical parentID of an event, or null. */
    String parentOf(TracedEvent event) {
        JsonNode parent = document(event).get("parentID");
        return parent == null || !parent.isTextual() ? null : canonical(parent.asText());
    }

    private boolean hasChildren(TracedEvent event) {
        JsonNode children = document(event).get("childEPCs");
        return children != null && children.isArray() && !children.isEmpty();
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
