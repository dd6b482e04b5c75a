package io.tracemark.trace.tracing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.tracemark.trace.gs1.EpcIdentifier;

/**
 * What the events of one item say: where it was made, each step it went through, where it is now,
 * where it was sold, and whether it was recalled. Places are the sites of the master data, found
 * by the GLN of the event's read point, business location, source or destination.
 */
public final class Journey {

    /** A place of an event: its canonical identifier and, when it is a known site, that site. */
    public record Place(String id, String gln, String name, String role, String city, String country, Double latitude,
            Double longitude) {
    }

    /** A source or destination of a shipment: its CBV type and the place or party. */
    public record Party(String type, Place place) {
    }

    /** One step of the journey, as regulators and partners see it. */
    public record Step(OffsetDateTime eventTime, String eventTimeZoneOffset, String eventType, String action, String bizStep,
            String disposition, Place readPoint, Place bizLocation, String via, List<Party> sources,
            List<Party> destinations, List<JsonNode> bizTransactions, String eventID, String capturedBy) {

        /** The event's time on the clocks where it happened. */
        public OffsetDateTime localTime() {
            return local(eventTime, eventTimeZoneOffset);
        }
    }

    /** Where the item is now, as far as the ledger knows. */
    public record Current(String disposition, String bizStep, Place location, Place custodian, OffsetDateTime since) {
    }

    /** Where and when it was sold. */
    public record Sale(OffsetDateTime at, String eventTimeZoneOffset, Place place) {

        /** When it was sold, on the shop's clocks. */
        public OffsetDateTime localTime() {
            return local(at, eventTimeZoneOffset);
        }
    }

    /** A time at the offset an event was recorded with; as it is when the offset is missing or unreadable. */
    static OffsetDateTime local(OffsetDateTime time, String offset) {
        if (time == null || offset == null) {
            return time;
        }
        try {
            return time.withOffsetSameInstant(ZoneOffset.of(offset));
        } catch (DateTimeException e) {
            return time;
        }
    }

    final List<TracedEvent> events;
    final List<Step> steps = new ArrayList<>();
    ItemStory story = ItemStory.NONE;
    OffsetDateTime commissionedAt;
    Current current;
    Sale sold;
    boolean recalled;

    private Journey(List<TracedEvent> events) {
        this.events = events;
    }

    /** Reads the journey of the traced events; sites are looked up once per GLN. */
    static Journey of(List<TracedEvent> events, Tracer tracer, Sites sites) {
        Journey journey = new Journey(events);
        List<ViewStep> folded = new ArrayList<>(events.size());
        for (TracedEvent event : events) {
            JsonNode document = Tracer.isRecall(event) ? tracer.document(event) : tracer.parties(event);
            Place readPoint = sites.place(event.readPoint());
            Place bizLocation = sites.place(event.bizLocation());
            List<Party> sources = parties(document.get("sourceList"), "source", sites);
            List<Party> destinations = parties(document.get("destinationList"), "destination", sites);
            List<JsonNode> transactions = new ArrayList<>();
            if (document.get("bizTransactionList") instanceof com.fasterxml.jackson.databind.node.ArrayNode list) {
                list.forEach(transactions::add);
            }
            journey.steps.add(new Step(event.eventTime(), event.eventTimeZoneOffset(), event.eventType(),
                    event.action(), event.bizStep(),
                    event.disposition(), readPoint, bizLocation, event.via(), sources, destinations, transactions,
                    event.eventId(), event.capturedBy()));
            folded.add(ViewStep.of(event, document));
        }
        journey.summarise(ItemStory.of(folded), sites);
        return journey;
    }

    /**
     * A step as the item view keeps it: what happened, when, where and where it was sent; no
     * eventID, capturer, sources or business transactions (those stay in the full trace).
     */
    static Step step(ViewStep step, Sites sites) {
        List<Party> destinations = new ArrayList<>();
        for (List<String> destination : step.destinationList()) {
            destinations.add(new Party(destination.get(0), sites.placeOf(destination.get(1))));
        }
        return new Step(step.time(), step.offset(), null, null, step.bizStep(), step.disposition(),
                sites.place(step.readPoint()), sites.place(step.bizLocation()), step.via(), List.of(), destinations,
                List.of(), null, null);
    }

    /** Takes the summary (origin's commissioning, where it is now, its sale, its recall) from a story. */
    void summarise(ItemStory story, Sites sites) {
        this.story = story;
        commissionedAt = story.commissionedAt();
        current = current(story, sites);
        sold = sale(story, sites);
        recalled = story.recalled();
    }

    /** Where the item of a story is now; null when no event names it. */
    static Current current(ItemStory story, Sites sites) {
        return story.since() == null ? null
                : new Current(story.disposition(), story.bizStep(), sites.placeOf(story.location()),
                        sites.placeOf(story.custodian()), story.since());
    }

    /** Where and when the item of a story was sold; null when it was not. */
    static Sale sale(ItemStory story, Sites sites) {
        ViewStep sale = story.sale();
        return sale == null ? null : new Sale(sale.time(), sale.offset(), sites.placeOf(sale.place()));
    }

    private static List<Party> parties(JsonNode list, String field, Sites sites) {
        List<Party> parties = new ArrayList<>();
        if (list != null && list.isArray()) {
            for (JsonNode element : list) {
                String id = element.path(field).asText(null);
                if (id == null) {
                    continue;
                }
                parties.add(new Party(cbvName(element.path("type").asText(null)), sites.placeOf(id)));
            }
        }
        return parties;
    }

    /** A CBV source/destination type as its bare name. */
    static String cbvName(String type) {
        if (type == null) {
            return null;
        }
        for (String prefix : List.of("urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-")) {
            if (type.startsWith(prefix)) {
                return type.substring(prefix.length());
            }
        }
        return type;
    }

    /** The sites of the master data by GLN, read once each through the tracing connection. */
    static final class Sites {
        private final Connection connection;
        private final Map<String, Optional<Place>> byGln;
        // Every item of a batch names the same few places: each is parsed once per stream.
        private final Map<String, Place> byCanonical = new HashMap<>();
        private final Map<String, Place> byIdentifier = new HashMap<>();

        Sites(Connection connection) {
            this(connection, new HashMap<>());
        }

        /** Sites that look GLNs up in a map shared beyond this connection (a cache of the master data). */
        Sites(Connection connection, Map<String, Optional<Place>> byGln) {
            this.connection = connection;
            this.byGln = byGln;
        }

        /** The place of a source or destination as written in an event: any GS1 form, or text. */
        Place placeOf(String identifier) {
            if (identifier == null) {
                return null;
            }
            Place known = byIdentifier.get(identifier);
            if (known == null) {
                String canonical = Tracer.canonical(identifier);
                known = canonical == null ? new Place(identifier, null, null, null, null, null, null, null) : place(canonical);
                byIdentifier.put(identifier, known);
            }
            return known;
        }

        /** The place of a canonical location (…/414/{GLN}[/254/…]) or party (…/417/{GLN}). */
        Place place(String canonical) {
            if (canonical == null) {
                return null;
            }
            Place known = byCanonical.get(canonical);
            if (known == null) {
                known = parse(canonical);
                byCanonical.put(canonical, known);
            }
            return known;
        }

        private Place parse(String canonical) {
            EpcIdentifier id;
            try {
                id = EpcIdentifier.parse(canonical);
            } catch (IllegalArgumentException e) {
                return new Place(canonical, null, null, null, null, null, null, null);
            }
            if (!"414".equals(id.ai()) && !"417".equals(id.ai())) {
                return new Place(canonical, null, null, null, null, null, null, null);
            }
            Place site = byGln.computeIfAbsent(id.key(), this::site).orElse(null);
            if (site == null) {
                return new Place(canonical, id.key(), null, null, null, null, null, null);
            }
            return new Place(canonical, site.gln(), site.name(), site.role(), site.city(), site.country(),
                    site.latitude(), site.longitude());
        }

        private Optional<Place> site(String gln) {
            try (PreparedStatement select = connection.prepareStatement(
                    "select name, role, city, country, latitude, longitude from site where gln = ?")) {
                select.setString(1, gln);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Place(null, gln, row.getString(1), row.getString(2).toLowerCase(),
                            row.getString(3), row.getString(4), (Double) row.getObject(5, Double.class),
                            (Double) row.getObject(6, Double.class)));
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Reading site " + gln + " failed", e);
            }
        }
    }
}
