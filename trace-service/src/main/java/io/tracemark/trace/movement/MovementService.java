package io.tracemark.trace.movement;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.security.identity.SecurityIdentity;
import io.tracemark.trace.access.Caller;
import io.tracemark.trace.access.CallerScope;
import io.tracemark.trace.batch.Batch;
import io.tracemark.trace.code.Code;
import io.tracemark.trace.code.CodeRegistry;
import io.tracemark.trace.code.CodeState;
import io.tracemark.trace.epcis.EpcisCapture;
import io.tracemark.trace.gs1.EpcIdentifier;
import io.tracemark.trace.gs1.Gs1Keys;
import io.tracemark.trace.movement.MovementInput.Place;
import io.tracemark.trace.problem.Problem;
import io.tracemark.trace.problem.ProblemException;
import io.tracemark.trace.problem.ProblemType;
import io.tracemark.trace.security.Credentials;
import io.tracemark.trace.site.Site;

/**
 * Turns a station's or partner's operation into one standard EPCIS event in the ledger, once per
 * request id. Everything is checked before anything is stored: the request's fields, that the
 * caller reports for the site, that every item was commissioned. The event and the record of the
 * request id are written in one transaction.
 */
@ApplicationScoped
public class MovementService {

    /** The operations, each with the event it becomes. */
    public enum Operation {
        PACK, UNPACK, SHIP, RECEIVE, SELL, RECALL, DECOMMISSION, DESTROY;

        String json() {
            return name().toLowerCase();
        }
    }

    /** What an operation answers, the first time and every time its request id is sent again. */
    public record MovementAnswer(String requestId, String operation, String eventId, String eventType,
            String action, String bizStep, String disposition, String parentId, List<String> epcs, String epcClass,
            OffsetDateTime eventTime) {
    }

    /** An answer, and whether it is the one given to an earlier request with the same id. */
    public record Outcome(MovementAnswer answer, boolean replayed) {
    }

    private static final String CONTEXT = Commissioner.CONTEXT;
    /** The business transaction type of a point-of-sale receipt or payment reference. */
    static final String POS_RECEIPT = "urn:tracemark:btt:pos";
    /** Tracemark's EPCIS extension fields: the prefix and the namespace it stands for. */
    static final String EXTENSION_PREFIX = "tracemark";
    static final String EXTENSION_NAMESPACE = "urn:tracemark:epcis:";
    /** Why a batch was recalled, on its recall event. */
    public static final String RECALL_REASON = EXTENSION_PREFIX + ":recallReason";

    private final EntityManager em;
    private final EpcisCapture capture;
    private final CodeRegistry registry;
    private final CallerScope access;
    private final ObjectMapper json;

    public MovementService(EntityManager em, EpcisCapture capture, CodeRegistry registry, CallerScope access,
            ObjectMapper json) {
        this.em = em;
        this.capture = capture;
        this.registry = registry;
        this.access = access;
        this.json = json;
    }

    @Transactional
    public Outcome perform(Operation operation, MovementInput input, SecurityIdentity identity) {
        Caller caller = access.of(identity);
        String requestedBy = caller.party();
        String hash = Credentials.sha256(operation.json() + "\n" + write(input));
        // Serialises requests with the same id: the second waits here until the first committed.
        @SuppressWarnings("unchecked")
        List<Object[]> earlier = em.createNativeQuery("select operation, request_hash, answer from movement_request "
                + "where requested_by = ?1 and request_id = ?2 for update").setParameter(1, requestedBy)
                .setParameter(2, input.requestId()).getResultList();
        if (!earlier.isEmpty()) {
            Object[] row = earlier.get(0);
            if (!operation.json().equals(row[0]) || !hash.equals(row[1])) {
                throw ProblemException.conflict("Request id " + input.requestId() + " was used before for another "
                        + "request (" + row[0] + "); send a new request id for a new operation. Nothing was stored");
            }
            return new Outcome(read((String) row[2]), true);
        }

        List<Problem.Violation> violations = new ArrayList<>();
        if (input.reason() != null && operation != Operation.RECALL) {
            violations.add(new Problem.Violation("reason", "says why a batch is recalled: recall only"));
        }
        ObjectNode event = switch (operation) {
            case PACK, UNPACK -> aggregation(operation, input, caller, violations);
            case RECALL -> recall(input, violations);
            default -> objectEvent(operation, input, caller, violations);
        };
        if (!violations.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, violations.stream()
                    .map(v -> v.field() + ": " + v.message()).reduce((a, b) -> a + "; " + b).orElse("")
                    + ". Nothing was stored", violations);
        }
        // The capture checks the whole event against the caller's scope (reserved acts, a station's codes).
        capture.captureEvent(event, caller);

        List<String> epcs = new ArrayList<>();
        event.path(event.has("childEPCs") ? "childEPCs" : "epcList").forEach(epc -> epcs.add(epc.asText()));
        MovementAnswer answer = new MovementAnswer(input.requestId(), operation.json(), event.get("eventID").asText(),
                event.get("type").asText(), event.get("action").asText(), event.path("bizStep").asText(null),
                event.path("disposition").asText(null), event.path("parentID").asText(null), epcs,
                event.path("quantityList").path(0).path("epcClass").asText(null),
                OffsetDateTime.parse(event.get("eventTime").asText()));
        em.createNativeQuery("insert into movement_request (requested_by, request_id, operation, request_hash, "
                + "event_id, answer, created_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                .setParameter(1, requestedBy).setParameter(2, input.requestId()).setParameter(3, operation.json())
                .setParameter(4, hash).setParameter(5, answer.eventId()).setParameter(6, write(answer))
                .setParameter(7, OffsetDateTime.now(ZoneOffset.UTC)).executeUpdate();
        return new Outcome(answer, false);
    }

    // --- the events ---------------------------------------------------------------------------

    private ObjectNode aggregation(Operation operation, MovementInput input, Caller caller,
            List<Problem.Violation> violations) {
        Site site = place(input.site(), "site", true, violations);
        String parent = null;
        if (input.parent() == null || input.parent().isBlank()) {
            violations.add(new Problem.Violation("parent", "is required: the SSCC of the case or pallet"));
        } else {
            parent = identifier(input.parent(), "parent", violations);
            if (parent != null && !parent.startsWith(EpcIdentifier.CANONICAL_BASE + "/00/")) {
                violations.add(new Problem.Violation("parent", "'" + input.parent()
                        + "' is not an SSCC: cases and pallets are identified by their SSCC"));
                parent = null;
            }
        }
        boolean childrenRequired = operation == Operation.PACK;
        List<String> children = epcs(input.epcs(), childrenRequired, violations);
        if (parent != null && children.contains(parent)) {
            violations.add(new Problem.Violation("epcs", "contains the parent " + parent + " itself"));
        }
        if (!violations.isEmpty()) {
            return null;
        }
        access.requireSite(caller, site, "site");
        if (operation == Operation.PACK) {
            requireCommissioned(input.epcs());
        }
        ObjectNode event = base("AggregationEvent", input.eventTime());
        event.put("parentID", parent);
        if (!children.isEmpty()) {
            // An unpacking that names no children takes everything out of the parent.
            ArrayNode list = event.putArray("childEPCs");
            children.forEach(list::add);
        }
        event.put("action", operation == Operation.PACK ? "ADD" : "DELETE");
        event.put("bizStep", operation == Operation.PACK ? "packing" : "unpacking");
        event.put("disposition", "in_progress");
        at(event, site, true);
        return event;
    }

    private ObjectNode objectEvent(Operation operation, MovementInput input, Caller caller,
            List<Problem.Violation> violations) {
        boolean shipping = operation == Operation.SHIP;
        Site site = shipping ? place(input.from(), "from", true, violations) : place(input.site(), "site", true,
                violations);
        Site to = shipping ? place(input.to(), "to", true, violations) : null;
        Site from = operation == Operation.RECEIVE && input.from() != null
                ? place(input.from(), "from", false, violations) : null;
        List<String> epcs = epcs(input.epcs(), true, violations);
        String receipt = operation == Operation.SELL ? receipt(input, site, violations) : null;
        if (shipping && site != null && to != null && site.gln.equals(to.gln)) {
            violations.add(new Problem.Violation("to", "is the site shipped from; a shipment goes to another site"));
        }
        if (!violations.isEmpty()) {
            return null;
        }
        access.requireSite(caller, site, shipping ? "from" : "site");
        requireCommissioned(input.epcs());

        ObjectNode event = base("ObjectEvent", input.eventTime());
        ArrayNode list = event.putArray("epcList");
        epcs.forEach(list::add);
        switch (operation) {
            case SHIP -> {
                event.put("action", "OBSERVE");
                event.put("bizStep", "shipping");
                event.put("disposition", "in_transit");
                at(event, site, false);
                parties(event.putArray("sourceList"), "source", site);
                parties(event.putArray("destinationList"), "destination", to);
            }
            case RECEIVE -> {
                event.put("action", "OBSERVE");
                event.put("bizStep", "receiving");
                event.put("disposition", "in_progress");
                at(event, site, true);
                if (from != null) {
                    parties(event.putArray("sourceList"), "source", from);
                }
                parties(event.putArray("destinationList"), "destination", site);
            }
            case SELL -> {
                event.put("action", "OBSERVE");
                event.put("bizStep", "retail_selling");
                event.put("disposition", "retail_sold");
                at(event, site, true);
                ObjectNode transaction = event.putArray("bizTransactionList").addObject();
                // CBV names invoices (inv) but no point-of-sale receipt: that type is Tracemark's own URI.
                transaction.put("type", "pos".equals(input.receipt().type()) ? POS_RECEIPT : "inv");
                transaction.put("bizTransaction", receipt);
            }
            case DECOMMISSION -> {
                event.put("action", "DELETE");
                event.put("bizStep", "decommissioning");
                event.put("disposition", "inactive");
                at(event, site, true);
            }
            case DESTROY -> {
                event.put("action", "DELETE");
                event.put("bizStep", "destroying");
                event.put("disposition", "destroyed");
                at(event, site, true);
            }
            default -> throw new IllegalStateException("not an ObjectEvent operation: " + operation);
        }
        return event;
    }

    /** One class-level event for the whole lot: every item of the batch, commissioned or yet to be. */
    private ObjectNode recall(MovementInput input, List<Problem.Violation> violations) {
        if (input.batchId() == null) {
            violations.add(new Problem.Violation("batchId", "is required: the batch to recall"));
            return null;
        }
        Batch batch = Batch.findById(input.batchId());
        if (batch == null) {
            violations.add(new Problem.Violation("batchId", "batch " + input.batchId() + " does not exist"));
            return null;
        }
        ObjectNode event = base("ObjectEvent", input.eventTime());
        event.putArray("quantityList").addObject().put("epcClass",
                new EpcIdentifier("01", batch.product.gtin, "10", batch.lot).canonical());
        event.put("action", "OBSERVE");
        event.put("bizStep", "holding");
        event.put("disposition", "recalled");
        if (input.reason() != null && !input.reason().isBlank()) {
            // EPCIS has no field for why; an extension field under Tracemark's own namespace carries it.
            ((ArrayNode) event.get("@context")).addObject().put(EXTENSION_PREFIX, EXTENSION_NAMESPACE);
            event.put(RECALL_REASON, input.reason().strip());
        }
        return event;
    }

    // --- checks --------------------------------------------------------------------------------

    /** The site a place names, by id or GLN; null (with a violation) when it names none. */
    private Site place(Place place, String field, boolean required, List<Problem.Violation> violations) {
        if (place == null) {
            if (required) {
                violations.add(new Problem.Violation(field, "is required: {\"siteId\": ...} or {\"gln\": ...}"));
            }
            return null;
        }
        if ((place.siteId() == null) == (place.gln() == null)) {
            violations.add(new Problem.Violation(field, "must name the site by siteId or by gln, one of the two"));
            return null;
        }
        if (place.siteId() != null) {
            Site site = Site.findById(place.siteId());
            if (site == null) {
                violations.add(new Problem.Violation(field + ".siteId", "site " + place.siteId() + " does not exist"));
            }
            return site;
        }
        if (!Gs1Keys.isGln(place.gln())) {
            violations.add(new Problem.Violation(field + ".gln", Gs1Keys.whyNotGln(place.gln())));
            return null;
        }
        Optional<Site> site = Site.findByGln(place.gln());
        if (site.isEmpty()) {
            violations.add(new Problem.Violation(field + ".gln", "no site with GLN " + place.gln()
                    + " is registered; an admin adds it under /api/sites"));
        }
        return site.orElse(null);
    }

    /** The canonical identifiers of the items, cases and pallets listed, each named in a violation when wrong. */
    private List<String> epcs(List<String> given, boolean required, List<Problem.Violation> violations) {
        if (given == null || given.isEmpty()) {
            if (required) {
                violations.add(new Problem.Violation("epcs", "is required: the item codes or SSCCs concerned"));
            }
            return List.of();
        }
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < given.size(); i++) {
            String field = "epcs[" + i + "]";
            String canonical = identifier(given.get(i), field, violations);
            if (canonical == null) {
                continue;
            }
            boolean item = canonical.startsWith(EpcIdentifier.CANONICAL_BASE + "/01/");
            boolean sscc = canonical.startsWith(EpcIdentifier.CANONICAL_BASE + "/00/");
            if (!item && !sscc) {
                violations.add(new Problem.Violation(field, "'" + given.get(i)
                        + "' is neither an item code (GTIN with serial) nor an SSCC"));
            } else if (!seen.add(canonical)) {
                violations.add(new Problem.Violation(field, "repeats " + given.get(i)));
            }
        }
        return List.copyOf(seen);
    }

    /** The canonical form of a code as printed, an EPC URN, or a bare 18-digit SSCC. */
    private static String identifier(String text, String field, List<Problem.Violation> violations) {
        if (text == null || text.isBlank()) {
            violations.add(new Problem.Violation(field, "is empty"));
            return null;
        }
        String value = text.strip();
        if (value.matches("\\d{18}")) {
            if (Gs1Keys.checkDigit(value.substring(0, 17)) != value.charAt(17) - '0') {
                violations.add(new Problem.Violation(field, "'" + value + "' is not an SSCC: wrong check digit "
                        + "(expected " + Gs1Keys.checkDigit(value.substring(0, 17)) + ")"));
                return null;
            }
            value = EpcIdentifier.CANONICAL_BASE + "/00/" + value;
        }
        try {
            EpcIdentifier id = EpcIdentifier.parse(value);
            if (id.kind() != EpcIdentifier.Kind.INSTANCE) {
                violations.add(new Problem.Violation(field, "'" + text + "' does not identify one thing"));
                return null;
            }
            return id.canonical();
        } catch (IllegalArgumentException e) {
            violations.add(new Problem.Violation(field, e.getMessage()));
            return null;
        }
    }

    /**
     * Refuses with 409, naming each, the item codes that are not commissioned in this registry:
     * an item enters the supply chain only after its production was recorded.
     */
    private void requireCommissioned(List<String> given) {
        List<Problem.Violation> violations = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            String text = given.get(i).strip();
            if (text.matches("\\d{18}")) {
                continue;
            }
            EpcIdentifier id = EpcIdentifier.parse(text);
            if (!"01".equals(id.ai())) {
                continue;
            }
            String field = "epcs[" + i + "]";
            Optional<Code> code = registry.find(id.qualifier());
            if (code.isEmpty() || !code.get().batch.product.gtin.equals(id.key())) {
                violations.add(new Problem.Violation(field, text + " was never issued by this registry"));
            } else if (code.get().state != CodeState.COMMISSIONED) {
                violations.add(new Problem.Violation(field, text + " is " + code.get().state
                        + ", not commissioned: its production is not in the ledger"));
            }
        }
        if (!violations.isEmpty()) {
            throw new ProblemException(ProblemType.CONFLICT, violations.size() + " item(s) were never commissioned ("
                    + violations.stream().map(Problem.Violation::field).reduce((a, b) -> a + ", " + b).orElse("")
                    + "); nothing was stored", violations);
        }
    }

    /** The sale's receipt as a business transaction URI; a plain reference is made one under the shop's GLN. */
    private static String receipt(MovementInput input, Site site, List<Problem.Violation> violations) {
        MovementInput.Receipt receipt = input.receipt();
        if (receipt == null) {
            violations.add(new Problem.Violation("receipt", "is required: {\"type\": \"pos\" or \"inv\", "
                    + "\"reference\": the receipt or payment reference}"));
            return null;
        }
        if (!"pos".equals(receipt.type()) && !"inv".equals(receipt.type())) {
            violations.add(new Problem.Violation("receipt.type", "must be pos (a point-of-sale receipt) or inv "
                    + "(an invoice), not '" + receipt.type() + "'"));
        }
        String reference = receipt.reference() == null ? "" : receipt.reference().strip();
        if (reference.isEmpty()) {
            violations.add(new Problem.Violation("receipt.reference", "is required"));
            return null;
        }
        try {
            if (URI.create(reference).isAbsolute()) {
                return reference;
            }
        } catch (IllegalArgumentException e) {
            // Not a URI: a plain receipt number, made into one below.
        }
        String gln = site == null ? "unknown" : site.gln;
        return "urn:tracemark:bt:" + gln + ":" + receipt.type() + ":"
                + URLEncoder.encode(reference, StandardCharsets.UTF_8);
    }

    // --- JSON -----------------------------------------------------------------------------------

    private static ObjectNode base(String type, OffsetDateTime requested) {
        OffsetDateTime time = (requested == null ? OffsetDateTime.now(ZoneOffset.UTC) : requested)
                .truncatedTo(ChronoUnit.MILLIS);
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.putArray("@context").add(CONTEXT);
        event.put("type", type);
        event.put("eventID", "urn:uuid:" + UUID.randomUUID());
        event.put("eventTime", Commissioner.EVENT_TIME.format(time));
        String offset = time.getOffset().getId();
        event.put("eventTimeZoneOffset", "Z".equals(offset) ? "+00:00" : offset);
        return event;
    }

    private static String location(Site site) {
        return new EpcIdentifier("414", site.gln, null, null).canonical();
    }

    private static void at(ObjectNode event, Site site, boolean bizLocation) {
        event.putObject("readPoint").put("id", location(site));
        if (bizLocation) {
            event.putObject("bizLocation").put("id", location(site));
        }
    }

    /** The owning party (the site's GLN as a party GLN) and the location of a source or destination. */
    private static void parties(ArrayNode list, String field, Site site) {
        list.addObject().put("type", "owning_party").put(field,
                new EpcIdentifier("417", site.gln, null, null).canonical());
        list.addObject().put("type", "location").put(field, location(site));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a movement cannot be written as JSON", e);
        }
    }

    private MovementAnswer read(String text) {
        try {
            return json.readValue(text, MovementAnswer.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored movement answer is not JSON", e);
        }
    }
}
