package io.tracemark.trace.access;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import io.quarkus.security.identity.SecurityIdentity;
import io.tracemark.trace.access.CapturedEvent.Named;
import io.tracemark.trace.batch.Batch;
import io.tracemark.trace.code.Code;
import io.tracemark.trace.code.CodeRegistry;
import io.tracemark.trace.gs1.EpcIdentifier;
import io.tracemark.trace.problem.Problem;
import io.tracemark.trace.problem.ProblemException;
import io.tracemark.trace.problem.ProblemType;
import io.tracemark.trace.security.AppUser;
import io.tracemark.trace.roles.Roles;
import io.tracemark.trace.security.StationScope;
import io.tracemark.trace.site.Line;
import io.tracemark.trace.site.Site;

/**
 * The one place that decides what a caller may write into the ledger and read from it. Capture
 * (documents and single events), movements, commissioning and recall all write through
 * {@link #refusals}; every query of the ledger filters with {@link #visibility}. docs/security.md
 * states the same rules as tables.
 *
 * <p>Writes: admins (and the service's own commissioning) write anything. Everyone else writes
 * only at its own sites: every read point and business location must be one of them, and the event
 * must name at least one of them (as read point, business location, source or destination); the
 * other party of a shipment or receipt may be anyone. A partner's sites are those an admin
 * assigned it; a station's, its line's factory, and its EPCs must be codes of its line's batches;
 * an operator's, the brand owner's own sites: those no partner is assigned to. A reserved business
 * step or disposition ({@link ReservedAct}) is refused to the other roles wherever it happens. A
 * recall, which concerns a lot wherever its items are, needs no place.
 */
@ApplicationScoped
public class CallerScope {

    private final EntityManager em;
    private final CodeRegistry registry;

    public CallerScope(EntityManager em, CodeRegistry registry) {
        this.em = em;
        this.registry = registry;
    }

    // --- who ------------------------------------------------------------------------------------

    /** The caller behind a request's identity. */
    public Caller of(SecurityIdentity identity) {
        if (identity.hasRole(Roles.ADMIN)) {
            return new Caller(user(identity), Caller.Kind.ADMIN, null, Set.of());
        }
        if (identity.hasRole(Roles.OPERATOR)) {
            return new Caller(user(identity), Caller.Kind.OPERATOR, null, brandOwnerSites());
        }
        if (identity.hasRole(Roles.REGULATOR)) {
            return new Caller(user(identity), Caller.Kind.REGULATOR, null, Set.of());
        }
        if (identity.hasRole(Roles.STATION) && identity.getAttribute(StationScope.LINE_ID) instanceof Long lineId) {
            Line line = Line.findById(lineId);
            return new Caller("line:" + lineId, Caller.Kind.STATION, lineId, line == null ? Set.of() : Set.of(line.site.gln));
        }
        if (identity.hasRole(Roles.PARTNER)) {
            Optional<AppUser> user = AppUser.findByUsername(identity.getPrincipal().getName());
            Set<String> sites = user.isEmpty() ? Set.of() : glns(sitesOf(user.get().id));
            return new Caller(user(identity), Caller.Kind.PARTNER, null, sites);
        }
        return new Caller(user(identity), Caller.Kind.NONE, null, Set.of());
    }

    private static String user(SecurityIdentity identity) {
        return "user:" + identity.getPrincipal().getName();
    }

    /** The brand owner's own sites: every site no partner is assigned to. */
    private Set<String> brandOwnerSites() {
        return strings(em.createNativeQuery("select gln from site where id not in (select site_id from site_partner)")
                .getResultList());
    }

    private Set<String> glns(List<Long> siteIds) {
        if (siteIds.isEmpty()) {
            return Set.of();
        }
        return strings(em.createNativeQuery("select gln from site where id in (:ids)").setParameter("ids", siteIds)
                .getResultList());
    }

    private static Set<String> strings(List<?> rows) {
        Set<String> values = new LinkedHashSet<>();
        rows.forEach(row -> values.add(row.toString()));
        return Set.copyOf(values);
    }

    /** The ids of the sites a partner user reports for, in id order. */
    public List<Long> sitesOf(long userId) {
        return em.createNativeQuery("select site_id from site_partner where user_id = ?1 order by site_id")
                .setParameter(1, userId).getResultList().stream().map(id -> ((Number) id).longValue()).toList();
    }

    /** Replaces the sites a partner user reports for. */
    public void assign(long userId, List<Long> siteIds) {
        em.createNativeQuery("delete from site_partner where user_id = ?1").setParameter(1, userId).executeUpdate();
        for (long siteId : siteIds) {
            em.createNativeQuery("insert into site_partner (user_id, site_id) values (?1, ?2)")
                    .setParameter(1, userId).setParameter(2, siteId).executeUpdate();
        }
    }

    // --- writes ---------------------------------------------------------------------------------

    /** Refuses with a 403 problem naming the field unless the caller may report what happens at the site. */
    public void requireSite(Caller caller, Site site, String field) {
        if (!caller.writesAnything() && !caller.standsFor(site.gln)) {
            String reason = notYours(caller, "site " + site.id + " (GLN " + site.gln + ")");
            throw new ProblemException(ProblemType.FORBIDDEN, field + ": " + reason + ". Nothing was stored",
                    List.of(new Problem.Violation(field, reason)));
        }
    }

    /** Why the caller may not capture the event, each reason naming its field; empty when it may. */
    public List<Problem.Violation> refusals(Caller caller, CapturedEvent event) {
        List<Problem.Violation> refusals = new ArrayList<>();
        if (caller.writesAnything()) {
            return refusals;
        }
        boolean recall = false;
        for (ReservedAct act : ReservedAct.values()) {
            boolean step = event.bizStep() != null && act.bizSteps.contains(event.bizStep());
            boolean disposition = event.disposition() != null && act.dispositions.contains(event.disposition());
            recall |= act == ReservedAct.RECALL && disposition;
            if ((step || disposition) && !act.roles.contains(caller.kind())) {
                refusals.add(new Problem.Violation(event.path() + (step ? ".bizStep" : ".disposition"), "'"
                        + (step ? event.bizStep() : event.disposition()) + "' records " + act.what + ", which only "
                        + act.whoMay() + " may record"));
            }
        }
        if (!refusals.isEmpty()) {
            return refusals;
        }
        if (caller.kind() == Caller.Kind.REGULATOR) {
            // An authority recalls wherever the lot is, and records nothing else.
            if (!recall) {
                refusals.add(new Problem.Violation(event.path(), "regulators capture recalls only (disposition recalled)"));
            }
            return refusals;
        }
        places(caller, event, recall, refusals);
        if (caller.kind() == Caller.Kind.STATION) {
            lineCodes(caller.lineId(), event, refusals);
        }
        return refusals;
    }

    /** Read point and business location must be the caller's; at least one place named must be. */
    private static void places(Caller caller, CapturedEvent event, boolean recall, List<Problem.Violation> refusals) {
        boolean own = false;
        for (Named location : new Named[] { event.readPoint(), event.bizLocation() }) {
            if (location == null) {
                continue;
            }
            if (caller.standsFor(gln(location.value()))) {
                own = true;
            } else {
                refusals.add(new Problem.Violation(location.field(), notYours(caller, "'" + location.value() + "'")));
            }
        }
        for (Named party : event.parties()) {
            own |= caller.standsFor(gln(party.value()));
        }
        boolean namesPlace = event.readPoint() != null || event.bizLocation() != null || !event.parties().isEmpty();
        if (!own && refusals.isEmpty() && (namesPlace || !recall)) {
            refusals.add(new Problem.Violation(event.path(), "names none of the sites you report for (in readPoint, "
                    + "bizLocation, sourceList or destinationList): " + yours(caller)));
        }
    }

    /** A station captures only for codes of its own line's batches (and the cases and pallets they go in). */
    private void lineCodes(Long lineId, CapturedEvent event, List<Problem.Violation> refusals) {
        for (Named epc : event.epcs()) {
            EpcIdentifier id = parse(epc.value());
            if (id != null && "00".equals(id.ai())) {
                continue;
            }
            Optional<Code> code = id != null && "01".equals(id.ai()) && "21".equals(id.qualifierAi())
                    ? registry.find(id.qualifier()) : Optional.empty();
            if (code.isEmpty() || !code.get().batch.product.gtin.equals(id.key())
                    || !code.get().batch.line.id.equals(lineId)) {
                refusals.add(new Problem.Violation(epc.field(), "'" + epc.value() + "' is not a code of a batch of line "
                        + lineId + ", the line of this station key"));
            }
        }
        for (Named epcClass : event.classes()) {
            EpcIdentifier id = parse(epcClass.value());
            Batch batch = id != null && "01".equals(id.ai()) && "10".equals(id.qualifierAi())
                    ? Batch.<Batch>find("product.gtin = ?1 and lot = ?2", id.key(), id.qualifier()).firstResult()
                    : null;
            if (batch == null || !batch.line.id.equals(lineId)) {
                refusals.add(new Problem.Violation(epcClass.field(), "'" + epcClass.value()
                        + "' is not the lot of a batch of line " + lineId + ", the line of this station key"));
            }
        }
    }

    private static String notYours(Caller caller, String place) {
        return place + " is not a site you report for: " + yours(caller);
    }

    private static String yours(Caller caller) {
        return switch (caller.kind()) {
            case PARTNER -> caller.sites().isEmpty() ? "no site is assigned to you yet; an admin assigns a partner its sites"
                    : "you report for the sites an admin assigned you, GLN " + String.join(", ", sorted(caller.sites()));
            case STATION -> "a station key reports only at its line's factory"
                    + (caller.sites().isEmpty() ? "" : ", GLN " + caller.sites().iterator().next());
            case OPERATOR -> "operators report at the brand owner's own sites, those no partner is assigned to";
            default -> "your role reports for no site";
        };
    }

    private static List<String> sorted(Collection<String> values) {
        return values.stream().sorted().toList();
    }

    /** The GLN of a location or party identifier, or null when it names neither. */
    private static String gln(String identifier) {
        EpcIdentifier id = parse(identifier);
        return id != null && ("414".equals(id.ai()) || "417".equals(id.ai())) ? id.key() : null;
    }

    private static EpcIdentifier parse(String identifier) {
        try {
            return EpcIdentifier.parse(identifier);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // --- reads ----------------------------------------------------------------------------------

    /** The condition on the ledger that keeps a query to what the caller may read. */
    public Visibility visibility(Caller caller) {
        if (caller.readsWholeLedger()) {
            return Visibility.WHOLE_LEDGER;
        }
        if (caller.kind() == Caller.Kind.NONE) {
            return Visibility.NOTHING;
        }
        return Visibility.of(caller);
    }

    /** The ledger rows among the given ones that the caller may read. */
    public Set<Long> visibleRows(Caller caller, Collection<Long> rows) {
        Visibility visibility = visibility(caller);
        if (visibility.wholeLedger() || rows.isEmpty()) {
            return new HashSet<>(rows);
        }
        var query = em.createNativeQuery("select e.id from event e where e.id in (:vRows)" + visibility.where())
                .setParameter("vRows", rows);
        visibility.values().forEach(query::setParameter);
        Set<Long> visible = new HashSet<>();
        query.getResultList().forEach(id -> visible.add(((Number) id).longValue()));
        return visible;
    }

    /** Whether the caller may read what the given party captured as a whole (a capture job). */
    public boolean readsCapturesOf(Caller caller, String party) {
        return caller.readsWholeLedger() || caller.party().equals(party);
    }
}
