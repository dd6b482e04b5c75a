package io.tracemark.trace.marking;

import java.time.OffsetDateTime;
import java.util.function.Consumer;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * A marking run written to the database as the run service records one, with no pipeline behind
 * it: what tests of the registry port, of commissioning and of resumption start from.
 */
public final class RecordedRuns {

    private RecordedRuns() {
    }

    /** A RUNNING run of the batch on its line, committed; returns its id. */
    public static long running(long batchId, long lineId, long target) {
        return running(batchId, lineId, target, run -> {
        });
    }

    /** The same, with {@code adjust} setting what a test needs before the run is stored. */
    public static long running(long batchId, long lineId, long target, Consumer<MarkingRun> adjust) {
        return QuarkusTransaction.requiringNew().call(() -> {
            MarkingRun run = new MarkingRun();
            run.batchId = batchId;
            run.lineId = lineId;
            run.target = target;
            run.state = RunState.RUNNING;
            run.startedBy = "test";
            run.createdAt = OffsetDateTime.now();
            run.updatedAt = run.createdAt;
            adjust.accept(run);
            run.persist();
            return run.id;
        });
    }
}
