package io.tracemark.marker.agent;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.tracemark.marker.MarkOrder;
import io.tracemark.marker.pipeline.MarkingPipeline;
import io.tracemark.marker.pipeline.PipelineStatus;

/**
 * Keeps the journal and trace-service in step, on its own thread, whatever the network does:
 * claims codes before the journal runs low, delivers recorded steps in order (each exactly once:
 * a step leaves the outbox only after the service acknowledged it, and the service applies a
 * repeated step as a no-op), reports the run's live status and follows the operator's pause,
 * resume and stop. While the service is unreachable the pipeline goes on with the codes it holds.
 */
public final class ServiceSync implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ServiceSync.class.getName());

    /**
     * @param interval   time between two rounds of synchronisation
     * @param lowWater   claim more codes when fewer than this are held
     * @param claimSize  codes asked for in one claim
     * @param deliverMax steps delivered in one request
     */
    public record Settings(Duration interval, int lowWater, int claimSize, int deliverMax) {
        public static Settings defaults() {
            return new Settings(Duration.ofMillis(500), 600, 1200, 500);
        }
    }

    private final ServiceClient service;
    private final Journal journal;
    private final long runId;
    private final Settings settings;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "station-sync");
        t.setDaemon(true);
        return t;
    });
    private volatile MarkingPipeline pipeline;
    private volatile long releasedBefore;
    private volatile boolean reachable = true;
    private volatile boolean exhausted;
    private String lastRunState;

    private final LongSupplier demand;

    /**
     * @param demand how many codes the run may still need beyond those already sent to the marker:
     *               claims never go past it, so a run ends holding few unused codes
     */
    public ServiceSync(ServiceClient service, Journal journal, long runId, Settings settings, LongSupplier demand) {
        this.service = service;
        this.journal = journal;
        this.runId = runId;
        this.settings = settings;
        this.demand = demand;
    }

    /**
     * Starts synchronising while {@code pipeline} marks; {@code releasedBefore} are the good items
     * earlier runs of this agent released, so the service sees the run's total.
     */
    public void start(MarkingPipeline pipeline, long releasedBefore) {
        this.pipeline = pipeline;
        this.releasedBefore = releasedBefore;
        thread.scheduleWithFixedDelay(this::round, 0, settings.interval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One round; also called directly before the pipeline starts, to hold codes from the first item on. */
    public synchronized void round() {
        try {
            claimIfLow();
            deliver();
            followOperator();
            // An ended pipeline's status would end the run: it is reported once the journal is delivered.
            if (pipeline != null && !pipeline.status().state().ended()) {
                service.reportStatus(runId, withTotal(pipeline.status()));
            }
            backOnline();
        } catch (ServiceClient.Refused e) {
            // The service is there and said no (the run was stopped, say): nothing to wait out.
            LOG.log(Level.WARNING, "trace-service refused: " + e.getMessage());
            backOnline();
        } catch (IOException e) {
            if (reachable) {
                LOG.log(Level.WARNING, "trace-service unreachable, working from the journal: " + e.getMessage());
            }
            reachable = false;
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Synchronising with trace-service failed", e);
        }
    }

    private void backOnline() {
        if (!reachable) {
            LOG.info("trace-service is reachable again");
        }
        reachable = true;
    }

    private PipelineStatus withTotal(PipelineStatus status) {
        return new PipelineStatus(status.state(), status.sent(), status.marked(), status.verified(), status.voided(),
                releasedBefore + status.released(), status.markerQueue(), status.itemsPerSecond(), status.alarms(),
                status.at());
    }

    /** Reports the final status, once everything recorded was delivered; true when the service took it. */
    public synchronized boolean reportFinal(PipelineStatus status) {
        try {
            service.reportStatus(runId, withTotal(status));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Delivers everything still in the outbox; true when it is empty. */
    public synchronized boolean flush() {
        try {
            deliver();
            return journal.undeliveredCount() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    public boolean reachable() {
        return reachable;
    }

    private void claimIfLow() throws IOException {
        var pending = journal.pendingClaim();
        int held = journal.reserved();
        long wanted = Math.min(settings.claimSize(), demand.getAsLong() - held);
        if (pending.isEmpty() && !exhausted && held < settings.lowWater() && wanted > 0) {
            pending = java.util.Optional.of(journal.newClaim((int) wanted));
        }
        if (pending.isPresent()) {
            List<MarkOrder> codes = service.claim(runId, pending.get());
            journal.claimAnswered(pending.get(), codes);
            exhausted = codes.isEmpty();
        }
    }

    private void deliver() throws IOException {
        List<Journal.Step> steps = journal.undelivered(settings.deliverMax());
        while (!steps.isEmpty()) {
            service.deliver(runId, steps);
            journal.delivered(steps.get(steps.size() - 1).seq());
            steps = journal.undelivered(settings.deliverMax());
        }
    }

    private void followOperator() throws IOException {
        MarkingPipeline driven = pipeline;
        if (driven == null) {
            return;
        }
        String state = service.run(runId).state();
        if (state.equals(lastRunState)) {
            return;
        }
        lastRunState = state;
        switch (state) {
            case "PAUSED" -> driven.pause();
            case "RUNNING" -> driven.resume();
            case "STOPPING", "STOPPED", "FINISHED", "FAILED" -> driven.stop();
            default -> LOG.fine("Run state " + state + " needs nothing of the station");
        }
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
