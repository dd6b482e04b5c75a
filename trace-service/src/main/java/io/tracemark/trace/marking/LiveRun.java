package io.tracemark.trace.marking;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.tracemark.marker.pipeline.MarkingPipeline;
import io.tracemark.marker.pipeline.PipelineStatus;
import io.tracemark.marker.pipeline.StationState;
import io.tracemark.trace.marking.MarkingRunService.RunView;

/**
 * A run whose pipeline is driving its marker in this service: the run's figures as they change,
 * and whoever follows them. Counts come from the registry port, everything else from the pipeline.
 */
final class LiveRun {

    /** Someone following the run: told each new view, and when the run ended. */
    interface Follower {
        void status(RunView view, boolean heartbeat);

        void ended(RunView last);
    }

    final long id;
    final long batchId;
    final long lineId;
    final long target;
    final String startedBy;
    final OffsetDateTime createdAt;
    final long releasedBefore;
    final MarkingPipeline pipeline;
    final RegistryMarkingPort port;
    final RunGrades grades;
    private final List<Follower> followers = new CopyOnWriteArrayList<>();

    volatile RunState state;
    volatile RegistryMarkingPort.Counts counts;
    volatile PipelineStatus status;
    volatile boolean stopRequested;
    volatile OffsetDateTime updatedAt;
    /** When the pipeline's figures were last written to the run's row, and what they were. */
    long persistedAtNanos;
    StationState persistedState;
    long persistedReleased = -1;

    LiveRun(MarkingRun run, MarkingPipeline pipeline, RegistryMarkingPort port, RunGrades grades) {
        this.id = run.id;
        this.batchId = run.batchId;
        this.lineId = run.lineId;
        this.target = run.target;
        this.startedBy = run.startedBy;
        this.createdAt = run.createdAt;
        this.releasedBefore = run.released;
        this.pipeline = pipeline;
        this.port = port;
        this.grades = grades;
        this.state = run.state;
        this.counts = new RegistryMarkingPort.Counts(run.sent, run.marked, run.verified, run.voided);
        this.updatedAt = run.updatedAt;
    }

    /** Items released to leave the line, over every pipeline this run had: its good items so far. */
    long released() {
        PipelineStatus current = status;
        return releasedBefore + (current == null ? 0 : current.released());
    }

    RunView view() {
        PipelineStatus current = status;
        RegistryMarkingPort.Counts c = counts;
        return new RunView(id, batchId, lineId, target, RunDriver.SERVICE, state, current == null ? null
                : current.state(), c.sent(),
                c.marked(), c.verified(), c.voided(), released(), current == null ? 0 : current.itemsPerSecond(),
                current == null ? 0 : current.markerQueue(), grades.view(), current == null ? List.of() : current.alarms(), null,
                startedBy, createdAt, updatedAt, null);
    }

    void follow(Follower follower) {
        followers.add(follower);
    }

    void unfollow(Follower follower) {
        followers.remove(follower);
    }

    void publish(boolean heartbeat) {
        RunView view = view();
        followers.forEach(f -> f.status(view, heartbeat));
    }

    void end(RunView last) {
        followers.forEach(f -> f.ended(last));
        followers.clear();
    }
}
