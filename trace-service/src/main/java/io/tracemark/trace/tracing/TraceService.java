package io.tracemark.trace.tracing;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

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

    public TraceService(CodeRegistry registry, Tracer tracer, CallerScope scope) {
        this.registry = registry;
        this.tracer = tracer;
        this.scope = scope;
    }

    /** An item the registry issued a code for. */
    record Item(Code code, String gtin, String lot) {

        String serial() {
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
    Item resolve(String gtin, String lot, String serial) {
        Code code = registry.find(serial).orElseThrow(() -> notIssued(serial));
        Batch batch = code.batch;
        if (gtin != null && !gtin.equals(batch.product.gtin) || lot != null && !lot.equals(batch.lot)) {
            throw notIssued(serial);
        }
        return new Item(code, batch.product.gtin, batch.lot);
    }

    static ProblemException notIssued(String serial) {
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

    ItemTrace trace(Item item, Tracer.Session session) {
        return trace(item, session, session.trace(item.epc(), item.lotClass()));
    }

    /**
     * The item's trace told only from the events the caller may read; empty when it may read none.
     */
    Optional<ItemTrace> trace(Item item, Caller caller) {
        try (Tracer.Session session = tracer.open()) {
            List<TracedEvent> events = session.trace(item.epc(), item.lotClass());
            Set<Long> visible = scope.visibleRows(caller, events.stream().map(TracedEvent::row).toList());
            List<TracedEvent> seen = events.stream().filter(event -> visible.contains(event.row())).toList();
            return seen.isEmpty() ? Optional.empty() : Optional.of(trace(item, session, seen));
        }
    }

    private ItemTrace trace(Item item, Tracer.Session session, List<TracedEvent> events) {
        Journey journey = Journey.of(events, tracer, new Journey.Sites(session.connection()));
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
