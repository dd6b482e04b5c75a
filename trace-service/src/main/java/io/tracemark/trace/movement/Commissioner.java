package io.tracemark.trace.movement;

import java.sql.Date;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tracemark.trace.access.Caller;
import io.tracemark.trace.code.CodeState;
import io.tracemark.trace.config.TracemarkConfig;
import io.tracemark.trace.epcis.EpcisCapture;
import io.tracemark.trace.gs1.EpcIdentifier;
import io.tracemark.trace.marking.RunState;

/**
 * Turns good marks into the ledger's production record. Every few seconds it takes, run by run,
 * the codes that are ready and writes one {@code commissioning} ObjectEvent (ADD, disposition
 * active, at the factory of the run's line, lot and expiry as ILMD) per group of at most
 * {@code tracemark.movements.commission-event-size} codes, moving those codes to COMMISSIONED in
 * the same transaction as the event: both land, or neither.
 * <p>
 * Ready means VERIFIED for longer than {@code tracemark.movements.commission-delay} (until then its
 * item may still be pushed off at the reject gate, which voids the code), or VERIFIED or MARKED
 * once the run has ended: a line without a verifier stops its codes at MARKED, and when its run
 * has ended every code it sent is settled, so a MARKED code is then one whose item left the line.
 * When a run has ended, none of its codes is still SENT and all its good marks are commissioned,
 * its voided codes get one {@code decommissioning} ObjectEvent (DELETE, disposition inactive) per
 * group, and the run is done. Until then every pass looks at it again: the marks of an ended run
 * can still arrive (a station agent delivers its journal after a restart or an outage).
 */
@ApplicationScoped
public class Commissioner {

    private static final Logger LOG = Logger.getLogger(Commissioner.class);
    static final String CAPTURED_BY = "service:commissioning";
    /** The service commissions on its own account: the marks it records were checked on the line. */
    private static final Caller COMMISSIONING = Caller.service(CAPTURED_BY);
    static final String CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";
    /**
     * An event's time as the events Tracemark writes carry it, seconds and milliseconds always
     * written: OffsetDateTime's own text leaves out zero seconds ("08:00+01:00"), which is no RFC 3339
     * date-time, so an event made on the minute was refused by the capture's schema check.
     */
    static final java.time.format.DateTimeFormatter EVENT_TIME =
            java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");

    private final EntityManager em;
    private final EpcisCapture capture;
    private final TracemarkConfig config;
    private ScheduledExecutorService schedule;

    public Commissioner(EntityManager em, EpcisCapture capture, TracemarkConfig config) {
        this.em = em;
        this.capture = capture;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        long every = config.movements().commissionInterval().toMillis();
        if (every <= 0) {
            return;
        }
        schedule = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "commissioning");
            thread.setDaemon(true);
            return thread;
        });
        schedule.scheduleWithFixedDelay(() -> {
            try {
                pass();
            } catch (RuntimeException e) {
                LOG.warn("Commissioning pass failed; the next pass tries again", e);
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    void onShutdown(@Observes ShutdownEvent event) {
        if (schedule != null) {
            schedule.shutdownNow();
        }
    }

    /** What one pass wrote. */
    public record Pass(int commissioned, int decommissioned, int events) {
    }

    /** Commissions what is ready in every run not done yet; each event is a transaction of its own. */
    public synchronized Pass pass() {
        List<Long> runs = QuarkusTransaction.requiringNew().call(() -> ids(em.createNativeQuery(
                "select id from marking_run where commissioning_done = false order by id").getResultList()));
        int commissioned = 0;
        int decommissioned = 0;
        int events = 0;
        for (long runId : runs) {
            while (true) {
                Step step = QuarkusTransaction.requiringNew().call(() -> step(runId));
                commissioned += step.commissioned;
                decommissioned += step.decommissioned;
                events += step.events;
                if (!step.more) {
                    break;
                }
            }
        }
        return new Pass(commissioned, decommissioned, events);
    }

    private record Step(int commissioned, int decommissioned, int events, boolean more) {
    }

    /** One transaction: one commissioning event, or, for an ended run, the last one and its voided codes. */
    private Step step(long runId) {
        Object[] run = (Object[]) em.createNativeQuery("select r.state, coalesce(r.commission_cursor, r.first_counter), "
                + "r.claim_cursor, p.gtin, b.lot, b.expiry_date, s.gln, r.first_counter from marking_run r "
                + "join batch b on b.id = r.batch_id "
                + "join product p on p.id = b.product_id join line l on l.id = r.line_id "
                + "join site s on s.id = l.site_id where r.id = ?1").setParameter(1, runId).getSingleResult();
        boolean ended = !RunState.valueOf((String) run[0]).active();
        if (run[1] == null) {
            if (ended) {
                done(runId);
            }
            return new Step(0, 0, 0, false);
        }
        long first = ((Number) run[1]).longValue();
        long runStart = ((Number) run[7]).longValue();
        long last = ((Number) run[2]).longValue() - 1;
        String gtin = (String) run[3];
        String lot = (String) run[4];
        LocalDate expiry = expiry(run[5]);
        String gln = (String) run[6];
        int size = config.movements().commissionEventSize();

        // While the line runs, a verified item may still be pushed off at the reject gate (which
        // voids its code): only codes verified longer ago than the delay are past it.
        OffsetDateTime settledBefore = ended ? null : now().minus(config.movements().commissionDelay());
        List<Object[]> ready = codes(runId, first, last, size,
                ended ? List.of(CodeState.VERIFIED, CodeState.MARKED) : List.of(CodeState.VERIFIED), settledBefore);
        int commissioned = 0;
        int events = 0;
        if (!ready.isEmpty()) {
            List<Long> counters = new ArrayList<>();
            ArrayNode epcs = JsonNodeFactory.instance.arrayNode();
            for (Object[] row : ready) {
                counters.add(((Number) row[0]).longValue());
                epcs.add(new EpcIdentifier("01", gtin, "21", (String) row[1]).canonical());
            }
            int moved = em.createNativeQuery("update code set state = ?1, state_changed_at = ?2 "
                    + "where counter in (?3) and state in (?4, ?5)")
                    .setParameter(1, CodeState.COMMISSIONED.name()).setParameter(2, now())
                    .setParameter(3, counters).setParameter(4, CodeState.VERIFIED.name())
                    .setParameter(5, CodeState.MARKED.name()).executeUpdate();
            if (moved != counters.size()) {
                throw new IllegalStateException("Codes of marking run " + runId + " changed while being commissioned");
            }
            ObjectNode event = event("ADD", "commissioning", "active", gln, epcs);
            ObjectNode ilmd = event.putObject("ilmd");
            ilmd.put("cbvmda:lotNumber", lot);
            if (expiry != null) {
                ilmd.put("cbvmda:itemExpirationDate", expiry.toString());
            }
            capture.captureEvent(event, COMMISSIONING);
            commissioned = counters.size();
            events++;
            if (ready.size() == size) {
                return new Step(commissioned, 0, events, true);
            }
        }
        // A run is done only once none of its codes is still SENT: a station agent may deliver a
        // mark after its run ended, and that code must still be commissioned when it arrives.
        if (!ended || stillSent(runId, first, last)) {
            advanceCursor(runId, first, last);
            return new Step(commissioned, 0, events, false);
        }
        // The run has ended and every good mark has its commissioning event: record the voided codes.
        int decommissioned = 0;
        long after = runStart - 1;
        while (true) {
            List<Object[]> voided = voidedAfter(runId, after, last, size);
            if (voided.isEmpty()) {
                break;
            }
            ArrayNode epcs = JsonNodeFactory.instance.arrayNode();
            for (Object[] row : voided) {
                epcs.add(new EpcIdentifier("01", gtin, "21", (String) row[1]).canonical());
                after = ((Number) row[0]).longValue();
            }
            capture.captureEvent(event("DELETE", "decommissioning", "inactive", gln, epcs), COMMISSIONING);
            decommissioned += voided.size();
            events++;
        }
        done(runId);
        return new Step(commissioned, decommissioned, events, false);
    }

    private ObjectNode event(String action, String bizStep, String disposition, String gln, ArrayNode epcs) {
        OffsetDateTime time = now().truncatedTo(ChronoUnit.MILLIS);
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.putArray("@context").add(CONTEXT);
        event.put("type", "ObjectEvent");
        event.put("eventID", "urn:uuid:" + UUID.randomUUID());
        event.put("eventTime", EVENT_TIME.format(time));
        event.put("eventTimeZoneOffset", "+00:00");
        event.set("epcList", epcs);
        event.put("action", action);
        event.put("bizStep", bizStep);
        event.put("disposition", disposition);
        String location = new EpcIdentifier("414", gln, null, null).canonical();
        event.putObject("readPoint").put("id", location);
        event.putObject("bizLocation").put("id", location);
        return event;
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> codes(long runId, long first, long last, int size, List<CodeState> states,
            OffsetDateTime settledBefore) {
        var query = em.createNativeQuery("select counter, serial from code where counter between :first and :last "
                + "and run_id = :run and state in (:states)"
                + (settledBefore == null ? "" : " and state_changed_at <= :settledBefore")
                + " order by counter limit " + size + " for update")
                .setParameter("first", first).setParameter("last", last).setParameter("run", runId)
                .setParameter("states", states.stream().map(CodeState::name).toList());
        if (settledBefore != null) {
            query.setParameter("settledBefore", settledBefore);
        }
        return query.getResultList();
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> voidedAfter(long runId, long after, long last, int size) {
        return em.createNativeQuery("select counter, serial from code where counter between ?1 and ?2 "
                + "and run_id = ?3 and state = ?4 order by counter limit " + size)
                .setParameter(1, after + 1).setParameter(2, last).setParameter(3, runId)
                .setParameter(4, CodeState.VOIDED.name()).getResultList();
    }

    private boolean stillSent(long runId, long first, long last) {
        return !em.createNativeQuery("select counter from code where counter between ?1 and ?2 and run_id = ?3 "
                + "and state = ?4 limit 1").setParameter(1, first).setParameter(2, last).setParameter(3, runId)
                .setParameter(4, CodeState.SENT.name()).getResultList().isEmpty();
    }

    /**
     * Moves the run's cursor up to its first code not settled for good: every code below it is
     * commissioned or voided, so later passes need not read them again. Voided codes stay where
     * the cursor passed them; the run's end reads them from its first code.
     */
    private void advanceCursor(long runId, long from, long last) {
        em.createNativeQuery("update marking_run set commission_cursor = coalesce((select min(counter) from code "
                + "where counter between ?1 and ?2 and run_id = ?3 and state in (?4, ?5, ?6)), ?7) where id = ?3")
                .setParameter(1, from).setParameter(2, last).setParameter(3, runId)
                .setParameter(4, CodeState.SENT.name()).setParameter(5, CodeState.MARKED.name())
                .setParameter(6, CodeState.VERIFIED.name()).setParameter(7, last + 1).executeUpdate();
    }

    private void done(long runId) {
        em.createNativeQuery("update marking_run set commissioning_done = true where id = ?1")
                .setParameter(1, runId).executeUpdate();
    }

    private static LocalDate expiry(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof LocalDate date) {
            return date;
        }
        if (value instanceof Date date) {
            return date.toLocalDate();
        }
        return LocalDate.parse(value.toString());
    }

    private static List<Long> ids(List<?> rows) {
        return rows.stream().map(row -> ((Number) row).longValue()).toList();
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
