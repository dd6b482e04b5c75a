package io.tracemark.trace.tracing;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Caffeine;

import io.agroal.api.AgroalDataSource;
import io.tracemark.trace.access.Caller;
import io.tracemark.trace.access.CallerScope;
import io.tracemark.trace.batch.Batch;
import io.tracemark.trace.code.Code;
import io.tracemark.trace.code.CodeRegistry;
import io.tracemark.trace.code.CodeState;
import io.tracemark.trace.code.DigitalLink;
import io.tracemark.trace.gs1.EpcIdentifier;
import io.tracemark.trace.problem.ProblemException;
import io.tracemark.trace.problem.ProblemType;
import io.tracemark.trace.site.Site;

/** Finds an item by the code it carries and tells its story, for the trace API and the resolver. */
@ApplicationScoped
public class TraceService {

    static final String ITEM_BASE = EpcIdentifier.CANONICAL_BASE + "/01/";

    private final CodeRegistry registry;
    private final Tracer tracer;
    private final CallerScope scope;
    private final ItemStories stories;
    private final AgroalDataSource dataSource;
    /** Sites change seldom and are few: a scan looks its places up here, not in the database. */
    private final Map<String, Optional<Journey.Place>> sites = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofSeconds(30)).<String, Optional<Journey.Place>>build().asMap();

    public TraceService(CodeRegistry registry, Tracer tracer, CallerScope scope, ItemStories stories,
            AgroalDataSource dataSource) {
        this.registry = registry;
        this.tracer = tracer;
        this.scope = scope;
        this.stories = stories;
        this.dataSource = dataSource;
    }

    /** An item the registry issued a code for. */
    public record Item(Code code, String gtin, String lot) {

        public String serial() {
            return code.serial;
        }

        /** The canonical EPC the ledger names it by. */
        String epc() {
            return epc(gtin, code.serial);
        }

        String lotClass() {
            return lotClass(gtin, lot);
        }

        static String epc(String gtin, String serial) {
            return ITEM_BASE + gtin + "/21/" + serial;
        }

        static String lotClass(String gtin, String lot) {
            return ITEM_BASE + gtin + "/10/" + lot;
        }
    }

    public record CodeRef(String uri, String epc, String serial, String gtin, String lot, CodeState state) {
    }

    public record ProductRef(String gtin, String name, String brand) {
    }

    public record LineRef(String code, String name) {
    }

    public record BatchRef(long id, String lot, LocalDate productionDate, LocalDate expiryDate) {
    }

    public record Origin(ProductRef product, Journey.Place site, LineRef line, BatchRef batch,
            OffsetDateTime commissionedAt) {
    }

    /** The whole trace of one item, as admins, operators, regulators and partners see it. */
    public record ItemTrace(CodeRef code, Origin origin, List<Journey.Step> journey, Journey.Current current,
            Journey.Sale sold, boolean recalled) {
    }

    /**
     * The item a code names: a Digital Link URI (any host, lot optional), an element string, an
     * SGTIN EPC URN, or a bare serial.
     */
    Item resolve(String code) {
        if (code == null || code.isBlank()) {
            throw ProblemException.invalid("code", "is empty");
        }
        String text = code.strip();
        if (EpcIdentifier.isUrn(text)) {
            EpcIdentifier id;
            try {
                id = EpcIdentifier.parse(text);
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid("code", e.getMessage());
            }
            if (!"01".equals(id.ai()) || !"21".equals(id.qualifierAi())) {
                throw ProblemException.invalid("code", "'" + text + "' is not the EPC of an item (urn:epc:id:sgtin:...)");
            }
            return resolve(id.key(), null, id.qualifier());
        }
        if (text.contains("/01/") || text.startsWith("(01)")) {
            DigitalLink link = DigitalLink.parse(text).orElseThrow(() -> ProblemException.invalid("code", "'" + text
                    + "' is not a GS1 Digital Link URI /01/{GTIN}[/10/{lot}]/21/{serial} with a valid GTIN check digit"));
            return resolve(link.gtin14(), link.lot(), link.serial());
        }
        return resolve(null, null, text);
    }

    /** The item of a serial, checked against the GTIN and lot it was presented with (either may be null). */
    public Item resolve(String gtin, String lot, String serial) {
        Code code = registry.findWithOrigin(serial).orElseThrow(() -> notIssued(serial));
        Batch batch = code.batch;
        if (gtin != null && !gtin.equals(batch.product.gtin) || lot != null && !lot.equals(batch.lot)) {
            throw notIssued(serial);
        }
        return new Item(code, batch.product.gtin, batch.lot);
    }

    public static ProblemException notIssued(String serial) {
        return new ProblemException(ProblemType.NOT_FOUND, "Code " + serial + " was not issued by this registry:"
                + " its serial fails the registry's check, or it was never issued for this product and lot");
    }

    /** Every event that touched the item, in event time order. */
    List<TracedEvent> events(Item item) {
        try (Tracer.Session session = tracer.open()) {
            return session.trace(item.epc(), item.lotClass());
        }
    }

    ItemTrace trace(Item item) {
        try (Tracer.Session session = tracer.open()) {
            return trace(item, session);
        }
    }

    /**
     * The item's trace: every event from the ledger (its evidence, as regulators read it), and the
     * summary — where it is, its sale, its recall — from the item view, which tells the same.
     */
    ItemTrace trace(Item item, Tracer.Session session) {
        Journey journey = journey(session, session.trace(item.epc(), item.lotClass()));
        journey.summarise(stories.of(session.connection(), List.of(item.epc()), item.lotClass()).get(item.epc()),
                sites(session.connection()));
        return trace(item, journey);
    }

    /**
     * The item's trace told from the item view alone: a few key look-ups, whatever its history. Its
     * steps carry what the public may see (no eventIDs, capturers, sources or business transactions).
     */
    public ItemTrace viewed(Item item) {
        try (Connection connection = dataSource.getConnection()) {
            ItemStory story = stories.of(connection, List.of(item.epc()), item.lotClass()).get(item.epc());
            Journey.Sites places = sites(connection);
            Journey journey = Journey.of(List.of(), tracer, places);
            story.steps().forEach(step -> journey.steps.add(Journey.step(step, places)));
            journey.summarise(story, places);
            return trace(item, journey);
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the item view of " + item.serial() + " failed", e);
        }
    }

    private Journey.Sites sites(Connection connection) {
        return new Journey.Sites(connection, sites);
    }

    private Journey journey(Tracer.Session session, List<TracedEvent> events) {
        return Journey.of(events, tracer, sites(session.connection()));
    }

    /**
     * The item's trace told only from the events the caller may read; empty when it may read none.
     */
    Optional<ItemTrace> trace(Item item, Caller caller) {
        try (Tracer.Session session = tracer.open()) {
            List<TracedEvent> events = session.trace(item.epc(), item.lotClass());
            Set<Long> visible = scope.visibleRows(caller, events.stream().map(TracedEvent::row).toList());
            List<TracedEvent> seen = events.stream().filter(event -> visible.contains(event.row())).toList();
            // The view knows every event: the summary of a partial story is folded from what is seen.
            return seen.isEmpty() ? Optional.empty() : Optional.of(trace(item, journey(session, seen)));
        }
    }

    private ItemTrace trace(Item item, Journey journey) {
        Batch batch = item.code().batch;
        Site factory = batch.line.site;
        Journey.Place site = new Journey.Place(EpcIdentifier.CANONICAL_BASE + "/414/" + factory.gln, factory.gln,
                factory.name, factory.role.json(), factory.city, factory.country, factory.latitude, factory.longitude);
        Origin origin = new Origin(new ProductRef(batch.product.gtin, batch.product.name, batch.product.brand), site,
                new LineRef(batch.line.code, batch.line.name),
                new BatchRef(batch.id, batch.lot, batch.productionDate, batch.expiryDate), journey.commissionedAt);
        CodeRef code = new CodeRef(registry.uri(item.gtin(), item.lot(), item.serial()), item.epc(), item.serial(),
                item.gtin(), item.lot(), item.code().state);
        return new ItemTrace(code, origin, journey.steps, journey.current, journey.sold, journey.recalled);
    }
}
