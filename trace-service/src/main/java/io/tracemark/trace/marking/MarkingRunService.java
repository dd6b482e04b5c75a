package io.tracemark.trace.marking;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.tracemark.marker.MarkOrder;
import io.tracemark.marker.pipeline.MarkerLink;
import io.tracemark.marker.pipeline.MarkingPipeline;
import io.tracemark.marker.pipeline.PipelineSettings;
import io.tracemark.marker.pipeline.PipelineStatus;
import io.tracemark.marker.pipeline.StationState;
import io.tracemark.trace.batch.Batch;
import io.tracemark.trace.code.CodeAllocator;
import io.tracemark.trace.code.CodeRegistry;
import io.tracemark.trace.code.SerialKeys;
import io.tracemark.trace.config.TracemarkConfig;
import io.tracemark.trace.paging.Page;
import io.tracemark.trace.paging.PageRequest;
import io.tracemark.trace.problem.ProblemException;

/**
 * Starts, pauses, resumes and stops marking runs, each driven by a {@link MarkingPipeline} in this
 * service over its line's configured marker link, and keeps their status.
 * <p>
 * A run outlives the service process: what it did to its codes is in the registry, its counts in
 * its row. Runs still active when the service stopped, whether it crashed or was shut down, are
 * resumed when it starts again; the pipeline first reconciles with the marker and settles every
 * code the run had in flight.
 */
@ApplicationScoped
public class MarkingRunService {

    private static final Logger LOG = Logger.getLogger(MarkingRunService.class);
    private static final Duration PERSIST_EVERY = Duration.ofSeconds(1);
    private static final int ALARMS_LENGTH = 4000;
    private static final int FAILURE_LENGTH = 1000;

    private final EntityManager em;
    private final SerialKeys keys;
    private final CodeRegistry registry;
    private final CodeAllocator allocator;
    private final StationPeripherals peripherals;
    private final MarkerLinks links;
    private final TracemarkConfig config;
    private final Map<Long, LiveRun> live = new ConcurrentHashMap<>();
    // Status writes and the end of runs happen here, off the pipelines' own threads and one at a time.
    private final ExecutorService settler = Executors.newSingleThreadExecutor(daemon("marking-runs"));
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(
            daemon("marking-heartbeat"));
    private volatile boolean shuttingDown;

    public MarkingRunService(EntityManager em, SerialKeys keys, CodeRegistry registry, CodeAllocator allocator,
            StationPeripherals peripherals, MarkerLinks links, TracemarkConfig config) {
        this.em = em;
        this.keys = keys;
        this.registry = registry;
        this.allocator = allocator;
        this.peripherals = peripherals;
        this.links = links;
        this.config = config;
        long every = config.marking().heartbeat().toMillis();
        heartbeat.scheduleAtFixedRate(() -> live.values().forEach(run -> run.publish(true)), every, every,
                TimeUnit.MILLISECONDS);
    }

    /**
     * A run as clients see it. sent counts the codes the run took; marked and verified the codes
     * that got that far and were not voided afterwards; voided the codes voided. Once every code is
     * settled, sent = marked + voided. stationState, itemsPerSecond, markerQueue and alarms are
     * the pipeline's live figures (the last ones reported, for a run that ended).
     */
    public record RunView(long id, long batchId, long lineId, long count, RunDriver driver, RunState state,
            StationState stationState,
            long sent, long marked, long verified, long voided, long released, double itemsPerSecond,
            int markerQueue, Map<String, Long> grades, List<String> alarms, String failure, String startedBy,
            OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime finishedAt) {

        /** The run as stored; read in a transaction, since its grades are counted from its codes. */
        static RunView of(MarkingRun run) {
            return new RunView(run.id, run.batchId, run.lineId, run.target, run.driver, run.state, run.stationState,
                    run.sent,
                    run.marked, run.verified, run.voided, run.released, run.itemsPerSecond, run.markerQueue,
                    RunGrades.stored(run).view(), alarmsOf(run.alarms), run.failure, run.startedBy, run.createdAt,
                    run.updatedAt, run.finishedAt);
        }
    }

    /** One server-sent event: {@code status} when the run changed, {@code heartbeat} when it did not. */
    public record RunEvent(String name, RunView run) {
    }

    /**
     * Starts a run. A service-driven run needs the line's marker configuration and starts driving
     * at once; an agent-driven run waits for the line's station agent to claim its codes.
     */
    public RunView start(long batchId, long count, RunDriver driver, String startedBy) {
        MarkingRun run = QuarkusTransaction.requiringNew().call(() -> {
            Batch batch = Batch.<Batch>findByIdOptional(batchId)
                    .orElseThrow(() -> ProblemException.invalid("batchId", "batch " + batchId + " does not exist"));
            long lineId = batch.line.id;
            if (driver == RunDriver.SERVICE) {
                LineMarker marker = LineMarker.ofLine(lineId).orElseThrow(() -> ProblemException.conflict("Line "
                        + lineId + " has no marker configured; configure it with PUT /api/lines/" + lineId
                        + "/marker, or start the run with \"driver\": \"agent\""));
                links.problem(marker).ifPresent(problem -> {
                    throw ProblemException.conflict("The marker configuration of line " + lineId
                            + " cannot be used: " + problem);
                });
            }
            if (MarkingRun.activeOnLine(lineId)) {
                throw ProblemException.conflict("Line " + lineId + " already has an active marking run");
            }
            MarkingRun created = new MarkingRun();
            created.driver = driver;
            created.batchId = batchId;
            created.lineId = lineId;
            created.activeLineId = lineId;
            created.target = count;
            created.state = RunState.RUNNING;
            created.claimCursor = previousCursor(batchId);
            created.startedBy = startedBy;
            created.createdAt = now();
            created.updatedAt = created.createdAt;
            created.persist();
            em.flush();
            return created;
        });
        if (driver == RunDriver.AGENT) {
            return RunView.of(run);
        }
        try {
            return launch(run).view();
        } catch (RuntimeException e) {
            fail(run.id, "The marker link could not be opened: " + e.getMessage());
            throw e;
        }
    }

    public RunView get(long id) {
        LiveRun run = live.get(id);
        return run != null ? run.view() : QuarkusTransaction.joiningExisting().call(() -> RunView.of(find(id)));
    }

    public Page<RunView> page(Long lineId, RunState state, PageRequest paging) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            var query = MarkingRun.<MarkingRun>find("(?1 is null or lineId = ?1) and (?2 is null or state = ?2)",
                    Sort.by("id").descending(), lineId, state);
            return Page.of(query, paging, stored -> {
                LiveRun running = live.get(stored.id);
                return running != null ? running.view() : RunView.of(stored);
            });
        });
    }

    public RunView pause(long id) {
        return move(id, EnumSet.of(RunState.RUNNING), RunState.PAUSED, "paused", run -> run.pipeline.pause());
    }

    public RunView resume(long id) {
        return move(id, EnumSet.of(RunState.PAUSED), RunState.RUNNING, "resumed", run -> run.pipeline.resume());
    }

    public RunView stop(long id) {
        return move(id, EnumSet.of(RunState.RUNNING, RunState.PAUSED), RunState.STOPPING, "stopped", run -> {
            run.stopRequested = true;
            run.pipeline.stop();
        });
    }

    /**
     * The run's status as a stream: its current status first, then each change, a heartbeat when
     * nothing changed for a while, and its final status when it ended. A run that already ended
     * gives its final status alone.
     */
    public Multi<RunEvent> events(long id) {
        RunView current = get(id);
        LiveRun run = live.get(id);
        if (run == null) {
            return Multi.createFrom().item(new RunEvent("status", current));
        }
        return Multi.createFrom().emitter(emitter -> {
            LiveRun.Follower follower = new LiveRun.Follower() {
                @Override
                public void status(RunView view, boolean beat) {
                    emitter.emit(new RunEvent(beat ? "heartbeat" : "status", view));
                }

                @Override
                public void ended(RunView last) {
                    emitter.emit(new RunEvent("status", last));
                    emitter.complete();
                }
            };
            emitter.onTermination(() -> run.unfollow(follower));
            run.follow(follower);
            emitter.emit(new RunEvent("status", run.view()));
            if (!live.containsKey(id)) {
                // It ended between the look-up and the subscription: its end went to nobody.
                emitter.emit(new RunEvent("status", get(id)));
                emitter.complete();
            }
        }, BackPressureStrategy.BUFFER);
    }

    /**
     * Resumes every run that was active when the service last stopped. Called at start; returns the
     * ids of the runs it resumed.
     */
    public List<Long> resumeInterrupted() {
        List<MarkingRun> runs = QuarkusTransaction.requiringNew().call(() -> MarkingRun.<MarkingRun>list(
                "state in ?1 and driver = ?2", Sort.by("id"), RunState.ACTIVE, RunDriver.SERVICE));
        List<Long> resumed = new ArrayList<>();
        for (MarkingRun run : runs) {
            if (live.containsKey(run.id)) {
                continue;
            }
            try {
                LiveRun started = launch(run);
                if (run.state == RunState.PAUSED) {
                    started.pipeline.pause();
                } else if (run.state == RunState.STOPPING) {
                    started.stopRequested = true;
                    started.pipeline.stop();
                }
                resumed.add(run.id);
                LOG.infof("Resumed marking run %d on line %d (%s)", run.id, run.lineId, run.state);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Marking run %d could not be resumed", run.id);
                fail(run.id, "Could not be resumed after a restart: " + e.getMessage());
            }
        }
        return resumed;
    }

    void onStart(@Observes StartupEvent event) {
        resumeInterrupted();
    }

    /**
     * Settles every live run's codes before the service goes, but leaves the runs active: the next
     * start resumes them. Runs before the in-JVM broker stops, which their links may use.
     */
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        shuttingDown = true;
        heartbeat.shutdownNow();
        List<LiveRun> running = List.copyOf(live.values());
        running.forEach(run -> run.pipeline.stop());
        for (LiveRun run : running) {
            try {
                if (!run.pipeline.awaitFinished(config.marking().shutdownTimeout())) {
                    LOG.warnf("Marking run %d did not settle its codes in time; the next start reconciles them",
                            run.id);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        settler.shutdown();
        try {
            settler.awaitTermination(config.marking().shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        live.values().forEach(run -> run.pipeline.close());
    }

    private LiveRun launch(MarkingRun run) {
        LineMarker marker = QuarkusTransaction.requiringNew().call(() -> LineMarker.require(run.lineId));
        MarkerLink link = links.open(marker);
        RegistryMarkingPort port = new RegistryMarkingPort(run.id, em, keys, registry, allocator);
        // A resumed run only makes up what it has not released yet. One that had released all it
        // should before the service stopped still needs its pipeline, to settle the codes in flight.
        long remaining = run.target - run.released;
        MarkingPipeline pipeline = new MarkingPipeline(link, port, peripherals.camera(run.lineId),
                peripherals.gate(run.lineId), new PipelineSettings(marker.job, marker.queueDepth,
                        Math.max(remaining, 1), marker.minimumGrade, config.marking().cameraTimeout()));
        LiveRun liveRun = new LiveRun(run, pipeline, port,
                QuarkusTransaction.requiringNew().call(() -> RunGrades.stored(run)));
        live.put(run.id, liveRun);
        port.onGrade(liveRun.grades::add);
        port.onCounts(counts -> {
            liveRun.counts = counts;
            liveRun.publish(false);
        });
        pipeline.onStatus(status -> onStatus(liveRun, status));
        pipeline.start();
        if (remaining < 1) {
            pipeline.stop();
        }
        return liveRun;
    }

    /** Called on the pipeline's own thread, which must never be held up or thrown at from here. */
    private void onStatus(LiveRun run, PipelineStatus status) {
        run.status = status;
        if (status.state().ended()) {
            settle(() -> ended(run));
            return;
        }
        run.publish(false);
        long now = System.nanoTime();
        // Released items are what a resumed run counts on: they are written as soon as they change.
        if (status.state() != run.persistedState || status.released() != run.persistedReleased
                || now - run.persistedAtNanos >= PERSIST_EVERY.toNanos()) {
            run.persistedState = status.state();
            run.persistedReleased = status.released();
            run.persistedAtNanos = now;
            settle(() -> QuarkusTransaction.requiringNew().run(() -> writeFigures(run)));
        }
    }

    private void settle(Runnable task) {
        try {
            settler.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.errorf(e, "Recording a marking run's status failed");
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debugf("Service stopping; status of a marking run not recorded: %s", e.getMessage());
        }
    }

    private void ended(LiveRun run) {
        synchronized (run) {
            if (!live.remove(run.id, run)) {
                return;
            }
            run.pipeline.close();
            PipelineStatus last = run.status;
            if (shuttingDown && !run.stopRequested && last.state() != StationState.FAILED) {
                QuarkusTransaction.requiringNew().run(() -> writeFigures(run));
                run.end(run.view());
                return;
            }
            RunState end;
            if (last.state() == StationState.FAILED) {
                end = RunState.FAILED;
            } else if (run.released() < run.target && run.stopRequested) {
                end = RunState.STOPPED;
            } else {
                end = RunState.FINISHED;
            }
            String failure = end == RunState.FAILED ? clip(String.join("; ", last.alarms()), FAILURE_LENGTH) : null;
            RunView view = QuarkusTransaction.requiringNew().call(() -> {
                writeFigures(run);
                em.createQuery("update MarkingRun set state = ?1, activeLineId = null, finishedAt = ?2, "
                        + "updatedAt = ?2, failure = ?3 where id = ?4")
                        .setParameter(1, end).setParameter(2, now()).setParameter(3, failure)
                        .setParameter(4, run.id).executeUpdate();
                em.clear();
                return RunView.of(find(run.id));
            });
            run.state = end;
            LOG.infof("Marking run %d %s: %d sent, %d marked, %d verified, %d voided", run.id, end, view.sent(),
                    view.marked(), view.verified(), view.voided());
            run.end(view);
        }
    }

    private RunView move(long id, Set<RunState> from, RunState to, String verb, Consumer<LiveRun> action) {
        LiveRun run = live.get(id);
        if (run == null) {
            return moveStored(id, from, to, verb);
        }
        synchronized (run) {
            if (!from.contains(run.state) || !live.containsKey(id)) {
                throw ProblemException.conflict("Marking run " + id + " is " + run.state + " and cannot be " + verb);
            }
            action.accept(run);
            run.state = to;
            run.updatedAt = now();
            QuarkusTransaction.requiringNew().run(() -> em.createQuery(
                    "update MarkingRun set state = ?1, updatedAt = ?2 where id = ?3")
                    .setParameter(1, to).setParameter(2, run.updatedAt).setParameter(3, id).executeUpdate());
        }
        run.publish(false);
        return run.view();
    }

    /**
     * Moves a run no pipeline of this service drives: an agent's, which learns of the move at its
     * next synchronisation. Any other run not live here has ended.
     */
    private RunView moveStored(long id, Set<RunState> from, RunState to, String verb) {
        return QuarkusTransaction.requiringNew().call(() -> {
            MarkingRun stored = MarkingRun.lockedById(id);
            if (stored == null) {
                throw ProblemException.notFound("Marking run", id);
            }
            if (stored.driver != RunDriver.AGENT || !from.contains(stored.state)) {
                throw ProblemException.conflict("Marking run " + id + " is " + stored.state + " and cannot be " + verb);
            }
            stored.state = to;
            stored.updatedAt = now();
            return RunView.of(stored);
        });
    }

    /**
     * Records the status an agent reported for its run. When the agent's pipeline has ended, the
     * run ends: STOPPED if someone stopped it, FAILED if the pipeline failed, FINISHED otherwise;
     * a pipeline HALTED with its agent leaves the run open.
     */
    public RunView agentStatus(long id, PipelineStatus status) {
        return QuarkusTransaction.requiringNew().call(() -> {
            MarkingRun run = MarkingRun.lockedById(id);
            if (run == null) {
                throw ProblemException.notFound("Marking run", id);
            }
            if (run.driver != RunDriver.AGENT) {
                throw ProblemException.conflict("Marking run " + id + " is driven by the service, not by an agent");
            }
            if (!run.state.active()) {
                return RunView.of(run);
            }
            run.released = status.released();
            run.stationState = status.state();
            run.markerQueue = status.markerQueue();
            run.itemsPerSecond = status.itemsPerSecond();
            run.alarms = status.alarms().isEmpty() ? null : clip(String.join("\n", status.alarms()), ALARMS_LENGTH);
            run.updatedAt = now();
            // A HALTED agent was stopped by its line PC, not by the operator: the run waits for its next start.
            if (status.state().ended() && status.state() != StationState.HALTED) {
                run.state = status.state() == StationState.FAILED ? RunState.FAILED
                        : run.state == RunState.STOPPING ? RunState.STOPPED : RunState.FINISHED;
                run.failure = run.state == RunState.FAILED ? clip(String.join("; ", status.alarms()), FAILURE_LENGTH)
                        : null;
                run.activeLineId = null;
                run.finishedAt = run.updatedAt;
                LOG.infof("Marking run %d %s (station agent): %d sent, %d marked, %d verified, %d voided", run.id,
                        run.state, run.sent, run.marked, run.verified, run.voided);
            }
            return RunView.of(run);
        });
    }

    /** Codes for a station agent's claim; the same request id always answers with the same codes. */
    public List<MarkOrder> agentClaim(long id, String requestId, int count) {
        MarkingRun run = agentRun(id);
        if (run.state != RunState.RUNNING && run.state != RunState.PAUSED) {
            throw ProblemException.conflict("Marking run " + id + " is " + run.state + ": it takes no more codes");
        }
        return new RegistryMarkingPort(id, em, keys, registry, allocator).claim(requestId, count);
    }

    /** Applies the steps a station agent recorded, all or none; accepted after the run ended too. */
    public void agentResults(long id, List<RegistryMarkingPort.Step> steps) {
        agentRun(id);
        new RegistryMarkingPort(id, em, keys, registry, allocator).applyAll(steps);
    }

    private MarkingRun agentRun(long id) {
        MarkingRun run = QuarkusTransaction.requiringNew().call(() -> find(id));
        if (run.driver != RunDriver.AGENT) {
            throw ProblemException.conflict("Marking run " + id + " is driven by the service, not by a station agent");
        }
        return run;
    }

    /** Writes the pipeline's figures to the run's row; the counts are the port's to write. */
    private void writeFigures(LiveRun run) {
        PipelineStatus status = run.status;
        if (status == null) {
            return;
        }
        run.updatedAt = now();
        em.createQuery("update MarkingRun set released = ?1, stationState = ?2, markerQueue = ?3, "
                + "itemsPerSecond = ?4, alarms = ?5, updatedAt = ?6 where id = ?7")
                .setParameter(1, run.released()).setParameter(2, status.state())
                .setParameter(3, status.markerQueue()).setParameter(4, status.itemsPerSecond())
                .setParameter(5, status.alarms().isEmpty() ? null : clip(String.join("\n", status.alarms()),
                        ALARMS_LENGTH))
                .setParameter(6, run.updatedAt).setParameter(7, run.id).executeUpdate();
    }

    private void fail(long id, String failure) {
        live.remove(id);
        QuarkusTransaction.requiringNew().run(() -> em.createQuery("update MarkingRun set state = ?1, "
                + "activeLineId = null, finishedAt = ?2, updatedAt = ?2, failure = ?3 where id = ?4")
                .setParameter(1, RunState.FAILED).setParameter(2, now())
                .setParameter(3, clip(failure, FAILURE_LENGTH)).setParameter(4, id).executeUpdate());
    }

    /** Where the batch's previous run stopped claiming: every code of the batch below is taken. */
    private static long previousCursor(long batchId) {
        Long cursor = MarkingRun.getEntityManager()
                .createQuery("select max(r.claimCursor) from MarkingRun r where r.batchId = ?1", Long.class)
                .setParameter(1, batchId).getSingleResult();
        return cursor == null ? 0 : cursor;
    }

    private static MarkingRun find(long id) {
        return MarkingRun.<MarkingRun>findByIdOptional(id)
                .orElseThrow(() -> ProblemException.notFound("Marking run", id));
    }

    static List<String> alarmsOf(String stored) {
        return stored == null || stored.isEmpty() ? List.of() : Arrays.asList(stored.split("\n"));
    }

    private static String clip(String text, int length) {
        return text.length() > length ? text.substring(0, length) : text;
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
