package io.tracemark.marker.pipeline;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.tracemark.marker.MarkOrder;
import io.tracemark.marker.MarkReport;
import io.tracemark.marker.MarkerException;
import io.tracemark.marker.MarkerFault;
import io.tracemark.marker.MarkerHold;
import io.tracemark.marker.MarkerListener;
import io.tracemark.marker.MarkerProtocol;
import io.tracemark.marker.MarkerStatus;
import io.tracemark.marker.verify.Camera;
import io.tracemark.marker.verify.MarkVerifier;
import io.tracemark.marker.verify.Verification;

/**
 * Drives one marker through one marking run: keeps its queue filled ahead of the line, settles
 * every code it sent (marked and verified, or voided) and reconciles with the marker after every
 * fault.
 *
 * <p>Everything happens on one driver thread, fed by an inbox: marker events, link loss and
 * operator commands are queued there, so the run's state needs no locks and each step is
 * persisted through the {@link MarkingRegistry} before the next one acts on it. A code whose fate
 * cannot be known after a fault is voided, never sent again.
 */
public final class MarkingPipeline implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(MarkingPipeline.class.getName());
    private static final int ALARMS_KEPT = 20;
    private static final int RECONCILE_TRIES = 3;
    /**
     * The most marks one log query asks for: within what every dialect accepts (the MQTT dialect's
     * 1,000 is the lowest). The marker etches its queue in order, so the marks of the codes still
     * queued are its newest ones; a code whose mark is older than that is voided as doubtful.
     */
    private static final int LOG_CHUNK = 1000;
    private static final int LOG_MIN = 64;
    private static final Duration RATE_WINDOW = Duration.ofSeconds(5);
    private static final Duration STATUS_INTERVAL = Duration.ofMillis(100);

    private enum Stage {
        QUEUED, MARKED
    }

    private static final class InFlight {
        final MarkOrder order;
        Stage stage;
        /** A marker without a mark log: its mark counter just before this code was set, if read. */
        Long countBefore;

        InFlight(MarkOrder order, Stage stage) {
            this.order = order;
            this.stage = stage;
        }
    }

    private final MarkerLink link;
    private final MarkingRegistry registry;
    private final Optional<Camera> camera;
    private final Optional<RejectGate> gate;
    private final PipelineSettings settings;
    private final MarkVerifier verifier = new MarkVerifier();
    private final BlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
    private final List<Consumer<PipelineStatus>> observers = new CopyOnWriteArrayList<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread driver;

    // Owned by the driver thread.
    private final Map<String, InFlight> inFlight = new LinkedHashMap<>();
    private final Deque<String> alarms = new ArrayDeque<>();
    private final Deque<Instant> releases = new ArrayDeque<>();
    private MarkerProtocol protocol;
    private int connection;
    private long bootId = Long.MIN_VALUE;
    private boolean reconcileNeeded = true;
    private boolean paused;
    private boolean stopRequested;
    private boolean haltRequested;
    private boolean starved;
    private Duration reconnectWait;
    private long sent;
    private long marked;
    private long verified;
    private long voided;
    private long released;
    private Instant lastPublished = Instant.EPOCH;

    private volatile PipelineStatus status;
    private volatile StationState state = StationState.CONNECTING;

    public MarkingPipeline(MarkerLink link, MarkingRegistry registry, Optional<Camera> camera,
            Optional<RejectGate> gate, PipelineSettings settings) {
        this.link = link;
        this.registry = registry;
        this.camera = camera;
        this.gate = gate;
        this.settings = settings;
        this.reconnectWait = link.timeouts().reconnectMin();
        this.driver = new Thread(this::drive, "marking-pipeline " + settings.job());
        this.driver.setDaemon(true);
        this.status = snapshot();
    }

    /** Starts the driver thread: connect, take over what the registry left unsettled, then mark. */
    public void start() {
        driver.start();
    }

    /** Stops feeding new codes; what the marker already holds is still marked and settled. */
    public void pause() {
        inbox.add(() -> {
            paused = true;
            if (state == StationState.RUNNING) {
                enter(StationState.PAUSED);
            }
        });
    }

    public void resume() {
        inbox.add(() -> {
            paused = false;
            if (state == StationState.PAUSED) {
                enter(StationState.RUNNING);
            }
        });
    }

    /** Stops feeding, clears the marker's queue and settles every code in flight, then finishes. */
    public void stop() {
        inbox.add(() -> stopRequested = true);
    }

    /**
     * Lets go of the marker as a crash would, but between two steps: the marker's queue is left as
     * it is and no code is voided; every code in flight stays SENT or MARKED in the registry, for
     * the next pipeline of the run to reconcile. Ends in {@link StationState#HALTED}.
     */
    public void halt() {
        inbox.add(() -> haltRequested = true);
    }

    public PipelineStatus status() {
        return status;
    }

    /** Called at each change of state, and at most every 100 ms while counters move. */
    public void onStatus(Consumer<PipelineStatus> observer) {
        observers.add(observer);
    }

    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        stop();
        try {
            if (driver.isAlive() && !awaitFinished(link.timeouts().clear().plus(link.timeouts().reply()).multipliedBy(2))) {
                driver.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drive() {
        try {
            for (MarkingRegistry.Unsettled left : registry.unsettled()) {
                if (left.marked() && camera.isEmpty()) {
                    // Without a camera a code is released to the gate as soon as it is MARKED: its
                    // item went its way before the restart. Releasing it again would count it twice,
                    // or void the code of an item that passed the gate long ago.
                    continue;
                }
                inFlight.put(left.order().id(),
                        new InFlight(left.order(), left.marked() ? Stage.MARKED : Stage.QUEUED));
            }
            if (!inFlight.isEmpty()) {
                alarm("Resuming with " + inFlight.size() + " codes left unsettled by an earlier run of this station");
            }
            while (!state.ended()) {
                step();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            enter(StationState.FAILED);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Marking run stopped: " + e.getMessage(), e);
            alarm("Run failed: " + e.getMessage());
            enter(StationState.FAILED);
        } finally {
            closeProtocol();
            publish(true);
            finished.countDown();
        }
    }

    private void step() throws InterruptedException {
        if (haltRequested) {
            enter(StationState.HALTED);
            return;
        }
        if (protocol == null && !connect()) {
            return;
        }
        if (reconcileNeeded && !reconcile()) {
            return;
        }
        if (stopRequested) {
            settleAndStop();
            return;
        }
        if (released >= settings.target() && inFlight.isEmpty()) {
            enter(StationState.FINISHED);
            return;
        }
        fill();
        Runnable event = inbox.poll(link.timeouts().heartbeat().toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            heartbeat();
        }
        while (event != null && !state.ended()) {
            event.run();
            event = inbox.poll();
        }
        publish(false);
    }

    private boolean connect() throws InterruptedException {
        enter(inFlight.isEmpty() && sent == 0 ? StationState.CONNECTING : StationState.DISCONNECTED);
        try {
            connection++;
            protocol = link.dialect().connect(link.transport(), new Events(connection), link.timeouts());
            reconnectWait = link.timeouts().reconnectMin();
            reconcileNeeded = true;
            return true;
        } catch (MarkerException | IllegalStateException e) {
            // A dialect that leaves its transport half open must not end the run: release it and retry.
            link.transport().close();
            alarm("Cannot reach the marker (" + link.describe() + "): " + e.getMessage());
            runControlEventsFor(reconnectWait);
            reconnectWait = min(reconnectWait.multipliedBy(2), link.timeouts().reconnectMax());
            if (stopRequested && !haltRequested) {
                // No marker to ask: every code in flight is doubtful.
                settleWithoutMarker();
            }
            return false;
        }
    }

    /** While waiting to reconnect, operator commands still count; marker events cannot come. */
    private void runControlEventsFor(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        long left;
        while ((left = deadline - System.nanoTime()) > 0 && !stopRequested && !haltRequested) {
            Runnable event = inbox.poll(left, TimeUnit.NANOSECONDS);
            if (event != null) {
                event.run();
            }
        }
    }

    /**
     * Brings the pipeline's idea of the marker in line with the marker's own: every code in flight
     * that the marker's log shows is settled by it, a code still in the marker's queue stays, and
     * every other code is voided, since it may or may not be on an item.
     */
    private boolean reconcile() {
        enter(StationState.RECONCILING);
        for (int attempt = 1; attempt <= RECONCILE_TRIES; attempt++) {
            try {
                MarkerStatus markerStatus = protocol.status();
                boolean rebooted = bootId != Long.MIN_VALUE && markerStatus.bootId() != bootId;
                if (rebooted) {
                    alarm("The marker restarted; its queue was lost");
                }
                bootId = markerStatus.bootId();
                List<String> unknown = markerStatus.queued().stream().filter(id -> !inFlight.containsKey(id)).toList();
                List<String> stillQueued = markerStatus.queued();
                if (!unknown.isEmpty()) {
                    // Orders this run never sent: the marker must not etch them, so the whole queue goes.
                    alarm("The marker held " + unknown.size() + " orders this run did not send; its queue was cleared");
                    protocol.clearQueue();
                    stillQueued = List.of();
                }
                settleFromMarker(stillQueued, false);
                if (!settings.job().equals(markerStatus.job())) {
                    protocol.selectJob(settings.job());
                }
                reconcileNeeded = false;
                enter(paused ? StationState.PAUSED : StationState.RUNNING);
                return true;
            } catch (MarkerException e) {
                alarm("Reconciling with the marker failed (" + e.kind() + "): " + e.getMessage());
                if (e.kind() == MarkerException.Kind.LINK_DOWN || protocol == null) {
                    dropLink();
                    return false;
                }
            }
        }
        dropLink();
        return false;
    }

    /**
     * The marker's newest marks, as many as can hold those of the codes still queued (twice that, for
     * marks of codes settled meanwhile), in one query a dialect accepts. Codes already MARKED need no
     * log: however many a restarted run took over, the query stays within the protocol's limit.
     */
    private List<MarkReport> markLog() {
        long queued = inFlight.values().stream().filter(code -> code.stage == Stage.QUEUED).count();
        return protocol.markLog((int) Math.min(LOG_CHUNK, Math.max(LOG_MIN, 2 * queued)));
    }

    /** By the marker's log where it keeps one, else by what it holds and how many marks it counted. */
    private void settleFromMarker(List<String> stillQueued, boolean cleared) {
        if (protocol.capabilities().markLog()) {
            settleFromLog(markLog(), stillQueued);
        } else {
            settleFromHold(protocol.hold(), stillQueued, cleared);
        }
    }

    /**
     * A marker that keeps no log holds one code and counts its marks. A code set on it is marked
     * when the counter moved by exactly one since and the marker still holds that code; it is
     * still waiting when the counter did not move, the marker holds it and this connection set it.
     * Anything else is doubtful and voided: a code without a counter reading from before it was
     * set (this run restarted), a counter that moved more than once (the same code may be on
     * several items, which only the camera can settle) or backwards (reset), a code the marker no
     * longer holds (it restarted). What the marker still holds then is erased, so that no trigger
     * can mark a voided code. After the pipeline's own clear the marker holds nothing by design,
     * and the counter alone tells.
     */
    private void settleFromHold(MarkerHold hold, List<String> stillQueued, boolean cleared) {
        for (InFlight code : new ArrayList<>(inFlight.values())) {
            if (code.stage == Stage.MARKED) {
                verifyAndRelease(code);
                continue;
            }
            boolean held = cleared || protocol.heldContent(code.order).equals(hold.content());
            long marks = code.countBefore == null ? -1 : hold.markCount() - code.countBefore;
            if (marks == 1 && held) {
                settleMark(code, MarkReport.marked(code.order.id()));
            } else if (marks == 0 && held && stillQueued.contains(code.order.id())) {
                continue;
            } else if (marks > 1) {
                alarm("The marker counted " + marks + " marks for " + code.order.id()
                        + ": the code may be on several items");
                voidCode(code, "doubtful: the marker counted " + marks + " marks while it held this code");
            } else {
                voidCode(code, "doubtful after a fault: the marker's counter and read-back cannot confirm its mark");
            }
        }
        boolean waiting = inFlight.values().stream().anyMatch(code -> code.stage == Stage.QUEUED);
        if (!waiting && hold.content() != null) {
            protocol.clearQueue();
        }
    }

    private void settleFromLog(List<MarkReport> log, List<String> stillQueued) {
        Map<String, MarkReport> byId = new HashMap<>();
        log.forEach(report -> byId.put(report.id(), report));
        for (InFlight code : new ArrayList<>(inFlight.values())) {
            MarkReport report = byId.get(code.order.id());
            if (code.stage == Stage.MARKED) {
                verifyAndRelease(code);
            } else if (report != null) {
                settleMark(code, report);
            } else if (!stillQueued.contains(code.order.id())) {
                voidCode(code, "doubtful after a fault: neither in the marker's queue nor in its log");
            }
        }
    }

    private void fill() {
        if (state != StationState.RUNNING) {
            return;
        }
        long queued = inFlight.values().stream().filter(code -> code.stage == Stage.QUEUED).count();
        int depth = Math.min(settings.queueDepth(), protocol.capabilities().queueDepth());
        long wanted = Math.min(depth - queued, settings.target() - released - inFlight.size());
        if (wanted <= 0) {
            return;
        }
        List<MarkOrder> orders = registry.claim((int) wanted);
        if (orders.isEmpty()) {
            // Asked again at the next heartbeat: codes may still come (a station agent offline).
            if (!starved) {
                alarm("No codes available from the registry: the line is waiting for codes");
            }
            starved = true;
            return;
        }
        starved = false;
        List<InFlight> claimed = new ArrayList<>();
        for (MarkOrder order : orders) {
            InFlight code = new InFlight(order, Stage.QUEUED);
            inFlight.put(order.id(), code);
            claimed.add(code);
            sent++;
        }
        for (InFlight code : claimed) {
            if (!send(code)) {
                return;
            }
        }
    }

    /** Sends one code already persisted as SENT; false when the link needs attention first. */
    private boolean send(InFlight code) {
        if (reconcileNeeded || protocol == null) {
            // The marker's state is unknown: the reconciliation will void it as never queued.
            return false;
        }
        try {
            if (!protocol.capabilities().markLog()) {
                code.countBefore = protocol.hold().markCount();
            }
            protocol.enqueue(code.order);
            return true;
        } catch (MarkerException e) {
            if (e.kind() == MarkerException.Kind.REJECTED) {
                voidCode(code, "refused by the marker: " + e.getMessage());
            } else {
                alarm("Sending " + code.order.id() + " failed (" + e.kind() + "): " + e.getMessage());
            }
            troubled(e);
            return false;
        }
    }

    private void heartbeat() {
        if (protocol == null) {
            return;
        }
        try {
            MarkerStatus markerStatus = protocol.status();
            if (markerStatus.bootId() != bootId || !settings.job().equals(markerStatus.job())) {
                reconcileNeeded = true;
            }
            if (markerStatus.fault() != null) {
                alarm("Marker fault " + markerStatus.fault());
            }
        } catch (MarkerException e) {
            troubled(e);
        }
    }

    private void troubled(MarkerException e) {
        if (e.kind() == MarkerException.Kind.LINK_DOWN) {
            dropLink();
        } else {
            reconcileNeeded = true;
        }
    }

    private void onMarkCompleted(MarkReport report) {
        InFlight code = inFlight.get(report.id());
        if (code == null || code.stage != Stage.QUEUED) {
            // A duplicated acknowledgement, or one for a code already settled by a reconciliation.
            return;
        }
        settleMark(code, report);
    }

    private void settleMark(InFlight code, MarkReport report) {
        if (!report.marked()) {
            voidCode(code, "mark failed: " + (report.detail() == null ? "no reason given" : report.detail()));
            return;
        }
        registry.marked(code.order.id());
        code.stage = Stage.MARKED;
        marked++;
        verifyAndRelease(code);
    }

    private void verifyAndRelease(InFlight code) {
        String id = code.order.id();
        if (camera.isPresent()) {
            Optional<BufferedImage> image = camera.get().capture(id, settings.cameraTimeout());
            if (image.isEmpty()) {
                voidCode(code, "no camera image of the mark");
                return;
            }
            Verification check = verifier.verify(image.get(), code.order.content());
            if (!check.passes(settings.minimumGrade())) {
                voidCode(code, "verification failed: " + check.reason());
                return;
            }
            registry.verified(id, check.grade());
            verified++;
        }
        if (gate.isPresent() && !gate.get().release(id)) {
            voidCode(code, "the item reached the reject gate before it could be released");
            return;
        }
        inFlight.remove(id);
        released++;
        releases.addLast(Instant.now());
    }

    private void voidCode(InFlight code, String reason) {
        registry.voided(code.order.id(), reason);
        gate.ifPresent(g -> g.reject(code.order.id()));
        inFlight.remove(code.order.id());
        voided++;
    }

    private void settleAndStop() {
        enter(StationState.STOPPING);
        try {
            protocol.clearQueue();
            MarkerStatus markerStatus = protocol.status();
            settleFromMarker(markerStatus.queued(), true);
        } catch (MarkerException e) {
            alarm("The marker could not be asked while stopping (" + e.kind() + "): " + e.getMessage());
        }
        settleWithoutMarker();
    }

    /** Voids every code still in flight: with no word from the marker, each is doubtful. */
    private void settleWithoutMarker() {
        for (InFlight code : new ArrayList<>(inFlight.values())) {
            if (code.stage == Stage.MARKED) {
                verifyAndRelease(code);
            } else {
                voidCode(code, "run stopped before the marker confirmed the mark");
            }
        }
        enter(StationState.FINISHED);
    }

    private void dropLink() {
        closeProtocol();
        reconcileNeeded = true;
        enter(StationState.DISCONNECTED);
    }

    private void closeProtocol() {
        if (protocol != null) {
            try {
                protocol.close();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "Closing the marker link failed", e);
            }
            protocol = null;
        }
    }

    private void alarm(String text) {
        LOG.warning(text);
        alarms.addLast(Instant.now() + " " + text);
        if (alarms.size() > ALARMS_KEPT) {
            alarms.removeFirst();
        }
    }

    private void enter(StationState next) {
        if (state != next) {
            state = next;
            publish(true);
        }
    }

    private void publish(boolean force) {
        Instant now = Instant.now();
        if (!force && now.isBefore(lastPublished.plus(STATUS_INTERVAL))) {
            return;
        }
        lastPublished = now;
        PipelineStatus next = snapshot();
        boolean changed = !sameCounts(status, next);
        status = next;
        if (changed || force) {
            observers.forEach(observer -> observer.accept(next));
        }
    }

    private static boolean sameCounts(PipelineStatus a, PipelineStatus b) {
        return a.state() == b.state() && a.sent() == b.sent() && a.voided() == b.voided()
                && a.released() == b.released() && a.marked() == b.marked() && a.alarms().equals(b.alarms());
    }

    private PipelineStatus snapshot() {
        Instant now = Instant.now();
        while (!releases.isEmpty() && releases.peekFirst().isBefore(now.minus(RATE_WINDOW))) {
            releases.removeFirst();
        }
        int queued = (int) inFlight.values().stream().filter(code -> code.stage == Stage.QUEUED).count();
        double rate = releases.size() / (double) RATE_WINDOW.toSeconds();
        return new PipelineStatus(state, sent, marked, verified, voided, released, queued, rate,
                List.copyOf(alarms), now);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /**
     * Marker events arrive on the dialect's thread and are handed to the driver thread. A link loss
     * reported by an earlier connection must not drop the current one.
     */
    private final class Events implements MarkerListener {
        private final int of;

        Events(int of) {
            this.of = of;
        }

        @Override
        public void markCompleted(MarkReport report) {
            inbox.add(() -> onMarkCompleted(report));
        }

        @Override
        public void fault(MarkerFault fault) {
            inbox.add(() -> alarm("Marker fault " + fault.code() + ": " + fault.text()));
        }

        @Override
        public void protocolError(MarkerException error) {
            // A garbled message may have been a mark completion: the marker's log will tell.
            inbox.add(() -> {
                alarm("Garbled message from the marker: " + error.getMessage());
                reconcileNeeded = true;
            });
        }

        @Override
        public void linkDown(String reason) {
            inbox.add(() -> {
                if (of == connection && protocol != null) {
                    alarm("Marker link lost: " + reason);
                    dropLink();
                }
            });
        }
    }
}
