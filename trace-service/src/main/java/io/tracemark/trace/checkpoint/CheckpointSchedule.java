package io.tracemark.trace.checkpoint;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tracemark.trace.problem.ProblemException;

/**
 * Issues a checkpoint every {@code tracemark.ledger.checkpoint-interval}, so that signed history
 * exists even when nobody asked for a checkpoint. Where several instances share the ledger, an
 * instance skips its turn when another issued a scheduled checkpoint within the last half interval.
 */
@ApplicationScoped
public class CheckpointSchedule {

    private static final Logger LOG = Logger.getLogger(CheckpointSchedule.class);

    private final Checkpoints checkpoints;
    private final LedgerConfig config;
    private ScheduledExecutorService schedule;

    public CheckpointSchedule(Checkpoints checkpoints, LedgerConfig config) {
        this.checkpoints = checkpoints;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        long every = config.checkpointInterval().toMillis();
        if (every <= 0) {
            return;
        }
        schedule = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "ledger-checkpoints");
            thread.setDaemon(true);
            return thread;
        });
        schedule.scheduleWithFixedDelay(this::run, every, every, TimeUnit.MILLISECONDS);
    }

    void onShutdown(@Observes ShutdownEvent event) {
        if (schedule != null) {
            schedule.shutdownNow();
        }
    }

    private void run() {
        try {
            pass();
        } catch (ProblemException e) {
            LOG.errorf("No scheduled ledger checkpoint was signed: %s", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("Scheduled ledger checkpoint failed; the next turn tries again", e);
        }
    }

    /** One turn of the schedule: the checkpoint issued, or null when another instance's is recent. */
    public Checkpoint pass() {
        Duration half = config.checkpointInterval().dividedBy(2);
        if (checkpoints.scheduledWithin(half)) {
            return null;
        }
        return checkpoints.issue(Checkpoints.SCHEDULE);
    }
}
