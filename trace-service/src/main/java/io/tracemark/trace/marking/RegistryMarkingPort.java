package io.tracemark.trace.marking;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import jakarta.persistence.EntityManager;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tracemark.marker.MarkOrder;
import io.tracemark.marker.pipeline.MarkingRegistry;
import io.tracemark.marker.verify.Grade;
import io.tracemark.trace.batch.Batch;
import io.tracemark.trace.code.CodeAllocator;
import io.tracemark.trace.code.CodeRegistry;
import io.tracemark.trace.code.CodeState;
import io.tracemark.trace.code.SerialKeys;

/**
 * The code registry as one marking run's pipeline sees it. Each call is a transaction of its own
 * that is committed before the call returns, so the pipeline never acts on a step the database
 * does not hold. The run's counts are updated in the same transaction as the codes they count.
 * <p>
 * Codes are taken in counter order from the batch's allocations. When the batch has no fresh
 * code left, the run allocates more to the batch in its own name ({@code marking-run:<id>}):
 * enough for the rest of the run, at most {@link #TOP_UP_LIMIT} at a time, so that a line never
 * waits for codes and a run that voids many marks still reaches its count.
 */
public final class RegistryMarkingPort implements MarkingRegistry {

    static final int TOP_UP_LIMIT = 1000;
    static final int VOID_REASON_LENGTH = 200;

    /** How many of the run's codes stand where; sent = in flight + marked + voided once all settled. */
    public record Counts(long sent, long marked, long verified, long voided) {
    }

    private final long runId;
    private final long batchId;
    private final String gtin;
    private final String lot;
    private final EntityManager em;
    private final SerialKeys keys;
    private final CodeRegistry registry;
    private final CodeAllocator allocator;
    private volatile Consumer<Counts> observer = counts -> {
    };
    private volatile Consumer<Grade> graded = grade -> {
    };

    public RegistryMarkingPort(long runId, EntityManager em, SerialKeys keys, CodeRegistry registry,
            CodeAllocator allocator) {
        this.runId = runId;
        this.em = em;
        this.keys = keys;
        this.registry = registry;
        this.allocator = allocator;
        Object[] label = QuarkusTransaction.requiringNew().call(() -> {
            MarkingRun run = MarkingRun.findById(runId);
            if (run == null) {
                throw new IllegalArgumentException("Marking run " + runId + " does not exist");
            }
            Batch batch = Batch.findById(run.batchId);
            return new Object[] { batch.id, batch.product.gtin, batch.lot };
        });
        this.batchId = (Long) label[0];
        this.gtin = (String) label[1];
        this.lot = (String) label[2];
    }

    /** Told the run's counts after every step that changed them, once committed. */
    public void onCounts(Consumer<Counts> observer) {
        this.observer = observer;
    }

    /** Told the grade of each mark this port verified, once committed and before its counts. */
    public void onGrade(Consumer<Grade> graded) {
        this.graded = graded;
    }

    public long runId() {
        return runId;
    }

    @Override
    public List<MarkOrder> claim(int count) {
        if (count < 1) {
            return List.of();
        }
        Claim claim = QuarkusTransaction.requiringNew().call(() -> claimWithin(count));
        return deliver(claim);
    }

    /**
     * A station agent's claim under its own request id: asked again (after a lost answer or a
     * crash of the agent), it answers with the codes it gave the first time, and takes no new ones.
     */
    public List<MarkOrder> claim(String requestId, int count) {
        Claim claim = QuarkusTransaction.requiringNew().call(() -> {
            MarkingRun.lockedById(runId);
            @SuppressWarnings("unchecked")
            List<Object[]> earlier = em.createNativeQuery("select first_counter, last_counter from marking_claim "
                    + "where run_id = ?1 and request_id = ?2").setParameter(1, runId).setParameter(2, requestId)
                    .getResultList();
            if (!earlier.isEmpty()) {
                return replay((Number) earlier.get(0)[0], (Number) earlier.get(0)[1]);
            }
            Claim fresh = count < 1 ? null : claimWithin(count);
            em.createNativeQuery("insert into marking_claim (run_id, request_id, code_count, first_counter, "
                    + "last_counter, claimed_at) values (?1, ?2, ?3, ?4, ?5, ?6)")
                    .setParameter(1, runId).setParameter(2, requestId)
                    .setParameter(3, fresh == null ? 0 : fresh.orders().size())
                    .setParameter(4, fresh == null ? null : fresh.first())
                    .setParameter(5, fresh == null ? null : fresh.last()).setParameter(6, now()).executeUpdate();
            return fresh;
        });
        return deliver(claim);
    }

    private List<MarkOrder> deliver(Claim claim) {
        if (claim == null) {
            return List.of();
        }
        if (claim.counts() != null) {
            observer.accept(claim.counts());
        }
        return claim.orders();
    }

    private Claim replay(Number first, Number last) {
        if (first == null) {
            return null;
        }
        @SuppressWarnings("unchecked")
        List<String> serials = em.createNativeQuery("select serial from code where counter between ?1 and ?2 "
                + "and batch_id = ?3 and run_id = ?4 order by counter").setParameter(1, first.longValue())
                .setParameter(2, last.longValue()).setParameter(3, batchId).setParameter(4, runId).getResultList();
        return new Claim(serials.stream().map(this::order).toList(), null, first.longValue(), last.longValue());
    }

    private Claim claimWithin(int count) {
        // Locking the run serialises claims, so two never read the same cursor.
        MarkingRun run = MarkingRun.lockedById(runId);
        List<Object[]> fresh = nextAllocated(run.claimCursor, count);
        if (fresh.size() < count) {
            long stillNeeded = run.target - run.marked - (run.sent - run.marked - run.voided);
            int topUp = (int) Math.max(count - fresh.size(), Math.min(stillNeeded, TOP_UP_LIMIT));
            allocator.allocate(batchId, topUp, "marking-run:" + runId);
            fresh = nextAllocated(run.claimCursor, count);
        }
        if (fresh.isEmpty()) {
            return null;
        }
        long first = ((Number) fresh.get(0)[0]).longValue();
        long last = ((Number) fresh.get(fresh.size() - 1)[0]).longValue();
        // The rows read are exactly the batch's fresh codes in [first, last]: one range update sends them.
        int sent = em.createNativeQuery("update code set state = ?1, run_id = ?2, state_changed_at = ?3 "
                + "where counter between ?4 and ?5 and batch_id = ?6 and state = ?7")
                .setParameter(1, CodeState.SENT.name()).setParameter(2, runId).setParameter(3, now())
                .setParameter(4, first).setParameter(5, last).setParameter(6, batchId)
                .setParameter(7, CodeState.ALLOCATED.name()).executeUpdate();
        if (sent != fresh.size()) {
            throw new IllegalStateException("Codes of batch " + batchId + " changed while run " + runId
                    + " claimed them; nothing was sent");
        }
        em.createQuery("update MarkingRun set sent = sent + ?1, claimCursor = ?2, "
                + "firstCounter = coalesce(firstCounter, ?3), updatedAt = ?4 where id = ?5")
                .setParameter(1, (long) sent).setParameter(2, last + 1).setParameter(3, first)
                .setParameter(4, now()).setParameter(5, runId).executeUpdate();
        List<MarkOrder> orders = new ArrayList<>(fresh.size());
        for (Object[] row : fresh) {
            orders.add(order((String) row[1]));
        }
        return new Claim(orders, counts(), first, last);
    }

    private record Claim(List<MarkOrder> orders, Counts counts, long first, long last) {
    }

    @Override
    public void marked(String id) {
        move(id, CodeState.MARKED, null, null);
    }

    @Override
    public void verified(String id, Grade grade) {
        move(id, CodeState.VERIFIED, grade, null);
    }

    @Override
    public void voided(String id, String reason) {
        move(id, CodeState.VOIDED, null, voidReason(reason));
    }

    @Override
    public List<Unsettled> unsettled() {
        return QuarkusTransaction.requiringNew().call(() -> {
            MarkingRun run = MarkingRun.findById(runId);
            if (run.firstCounter == null) {
                return List.<Unsettled>of();
            }
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("select serial, state from code where counter between ?1 and ?2 "
                    + "and run_id = ?3 and state in (?4, ?5) order by counter")
                    .setParameter(1, run.firstCounter).setParameter(2, run.claimCursor - 1).setParameter(3, runId)
                    .setParameter(4, CodeState.SENT.name()).setParameter(5, CodeState.MARKED.name())
                    .getResultList();
            return rows.stream().map(row -> new Unsettled(order((String) row[0]),
                    CodeState.MARKED.name().equals(row[1]))).toList();
        });
    }

    /** The run's counts as the database holds them. */
    public Counts counts() {
        Object[] row = (Object[]) em.createNativeQuery(
                "select sent, marked, verified, voided from marking_run where id = ?1")
                .setParameter(1, runId).getSingleResult();
        return new Counts(((Number) row[0]).longValue(), ((Number) row[1]).longValue(),
                ((Number) row[2]).longValue(), ((Number) row[3]).longValue());
    }

    /** One step of one code, as a station agent reports it. */
    public record Step(String id, CodeState state, Grade grade, String reason) {
    }

    /**
     * Applies an agent's steps in one transaction: all of them, or none when one is refused. A
     * step the registry already holds is a no-op, so a batch delivered twice counts once.
     *
     * @throws StepRefused naming the step, when one cannot be applied
     */
    public void applyAll(List<Step> steps) {
        Counts counts = QuarkusTransaction.requiringNew().call(() -> {
            for (int i = 0; i < steps.size(); i++) {
                Step step = steps.get(i);
                try {
                    moveWithin(step.id(), step.state(), step.grade(), step.state() == CodeState.VOIDED
                            ? voidReason(step.reason()) : null);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    throw new StepRefused(i, e.getMessage());
                }
            }
            return counts();
        });
        observer.accept(counts);
    }

    /** A reported step the registry cannot apply; {@code index} is its place in the report. */
    public static final class StepRefused extends RuntimeException {
        private final int index;

        StepRefused(int index, String message) {
            super(message);
            this.index = index;
        }

        public int index() {
            return index;
        }
    }

    private static String voidReason(String reason) {
        String why = reason == null || reason.isBlank() ? "voided without a reason" : reason.strip();
        return why.length() > VOID_REASON_LENGTH ? why.substring(0, VOID_REASON_LENGTH) : why;
    }

    private void move(String serial, CodeState target, Grade grade, String reason) {
        Counts counts = QuarkusTransaction.requiringNew().call(() -> moveWithin(serial, target, grade, reason));
        if (counts != null) {
            if (target == CodeState.VERIFIED && grade != null) {
                graded.accept(grade);
            }
            observer.accept(counts);
        }
    }

    /** One step inside the caller's transaction; null when the registry already held it. */
    private Counts moveWithin(String serial, CodeState target, Grade grade, String reason) {
        long counter = keys.counterOf(serial).orElseThrow(
                () -> new IllegalArgumentException("'" + serial + "' is not a serial this registry issued"));
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select state, run_id from code where counter = ?1 for update")
                .setParameter(1, counter).getResultList();
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("Code " + serial + " was never issued");
        }
        CodeState from = CodeState.valueOf((String) rows.get(0)[0]);
        Number owner = (Number) rows.get(0)[1];
        if (owner == null || owner.longValue() != runId) {
            throw new IllegalStateException("Code " + serial + " was not sent by marking run " + runId);
        }
        if (alreadyThere(from, target)) {
            return null;
        }
        if (!from.canMoveTo(target)) {
            throw new IllegalStateException("Code " + serial + " is " + from + " and cannot become " + target);
        }
        String detail = grade != null ? ", grade = ?4" : reason != null ? ", void_reason = ?4" : "";
        var update = em.createNativeQuery("update code set state = ?1, state_changed_at = ?2" + detail
                + " where counter = ?3")
                .setParameter(1, target.name()).setParameter(2, now()).setParameter(3, counter);
        if (!detail.isEmpty()) {
            update.setParameter(4, grade != null ? grade.name() : reason);
        }
        update.executeUpdate();
        long marked = target == CodeState.MARKED ? 1 : 0;
        long verified = target == CodeState.VERIFIED ? 1 : 0;
        long voided = 0;
        if (target == CodeState.VOIDED) {
            voided = 1;
            // A voided code no longer counts where it had got to.
            marked = from == CodeState.MARKED || from == CodeState.VERIFIED ? -1 : 0;
            verified = from == CodeState.VERIFIED ? -1 : 0;
        }
        em.createQuery("update MarkingRun set marked = marked + ?1, verified = verified + ?2, "
                + "voided = voided + ?3, updatedAt = ?4 where id = ?5")
                .setParameter(1, marked).setParameter(2, verified).setParameter(3, voided)
                .setParameter(4, now()).setParameter(5, runId).executeUpdate();
        return counts();
    }

    /**
     * Whether a report repeats what the registry already holds: markers and their links may
     * deliver an acknowledgement twice, and a mark acknowledged again after its verification is
     * still the same mark.
     */
    private static boolean alreadyThere(CodeState from, CodeState target) {
        if (from == target) {
            return true;
        }
        return target == CodeState.MARKED && (from == CodeState.VERIFIED || from == CodeState.COMMISSIONED);
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> nextAllocated(long cursor, int count) {
        CodeRegistry.CounterSpan span = registry.span(batchId);
        return em.createNativeQuery("select counter, serial from code where counter between ?1 and ?2 "
                + "and batch_id = ?3 and state = ?4 order by counter limit ?5")
                .setParameter(1, Math.max(cursor, span.first())).setParameter(2, span.last())
                .setParameter(3, batchId).setParameter(4, CodeState.ALLOCATED.name()).setParameter(5, count)
                .getResultList();
    }

    private MarkOrder order(String serial) {
        return new MarkOrder(serial, registry.uri(gtin, lot, serial));
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
