package io.tracemark.bench.marking;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.tracemark.fixtures.marker.LedgerRegistry;
import io.tracemark.marker.simulator.LineSettings;
import io.tracemark.marker.simulator.LineStatistics;
import io.tracemark.fixtures.marker.MarkingInvariants;
import io.tracemark.marker.MarkerTimeouts;
import io.tracemark.marker.pipeline.MarkerLink;
import io.tracemark.marker.pipeline.MarkingPipeline;
import io.tracemark.marker.pipeline.PipelineSettings;
import io.tracemark.marker.pipeline.StationState;
import io.tracemark.marker.verify.Camera;
import io.tracemark.marker.verify.Grade;

import io.tracemark.bench.support.Stats;

/**
 * Many stations in one process, each a real pipeline with its own simulated marker on a real link,
 * at a real line speed ({@link LineSettings#typical}: 16-order queue, 20 ms mark, 300 ms to the
 * gate), for a fixed time. With verification each pipeline reads every mark back through the
 * station's simulated camera and releases the item at the gate only when it passes; without, codes
 * stop at MARKED and the item is released at once. Only the steady window after the warm-up is
 * measured, from snapshots of every marker's line statistics taken at its start and end.
 */
final class StationsRun {

    /** One station's figures over the measured window. */
    record Station(int number, String dialect, long items, long underruns, long missed, long released,
            long lateReleases, long voided, double releasedPerSecond, double verifyP50, double verifyP99,
            Stall stall, List<String> violations, StationState endState) {
    }

    /**
     * Where a station's completions spent their time in the window, stage by stage, p99 and longest,
     * in milliseconds: the simulator handing a completion to its front end until the driver's
     * transport delivered it (front end, link, broker); from there to the pipeline persisting
     * MARKED (the pipeline's inbox); MARKED to VERIFIED (photo, decoding, grading); and the longest
     * time between two ENQs the pipeline wrote. An underrun needs about queue depth × item period
     * of delay on this path; these say on which stage it was.
     */
    record Stall(double heardP99, double heardMax, double inboxP99, double inboxMax, double verifyMax,
            double enqueueGapMax) {
    }

    /** The whole scenario. */
    record Result(String name, int stations, double speed, int queueDepth, boolean verification, double seconds,
            List<Station> perStation, long settled, double processCores, Map<CpuSample.Part, Double> cpuPerItem,
            double socatCores, double brokerCores, double machineBusy, Map<String, Long> voidReasons,
            List<GcPauses.Pause> gcPauses, String failure) {

        /** Cores a part kept busy on average over the window. */
        double cores(CpuSample.Part part) {
            return cpuPerItem.getOrDefault(part, Double.NaN) * settled / seconds / 1e6;
        }

        long underruns() {
            return perStation.stream().mapToLong(Station::underruns).sum();
        }

        long released() {
            return perStation.stream().mapToLong(Station::released).sum();
        }

        long items() {
            return perStation.stream().mapToLong(Station::items).sum();
        }

        boolean invariantsHeld() {
            return perStation.stream().allMatch(s -> s.violations().isEmpty());
        }
    }

    private static final Duration START_LIMIT = Duration.ofSeconds(30);

    private StationsRun() {
    }

    /**
     * @param dialects one dialect per station, in station order
     * @param cameraFeed stations as the fixtures make them (photographing every etch), else without the feed
     */
    static Result run(String name, List<String> dialects, double speed, int queueDepth, boolean verification,
            boolean cameraFeed, Duration warmup, Duration window, long seed) throws InterruptedException {
        if (verification && !cameraFeed) {
            throw new IllegalArgumentException("verification needs the camera feed");
        }
        List<BenchStation> stations = new ArrayList<>();
        List<MarkingPipeline> pipelines = new ArrayList<>();
        List<TimedRegistry> registries = new ArrayList<>();
        List<CountingGate> gates = new ArrayList<>();
        List<WireTap> taps = new ArrayList<>();
        List<Map<String, Long>> emitted = new ArrayList<>();
        try (GcPauses gc = new GcPauses()) {
            for (int i = 0; i < dialects.size(); i++) {
                LineSettings line = LineSettings.typical(seed + i).withSpeed(speed);
                BenchStation station = cameraFeed ? BenchStation.simulated(dialects.get(i), line)
                        : BenchStation.withoutCamera(dialects.get(i), line);
                stations.add(station);
                TimedRegistry registry = new TimedRegistry(new LedgerRegistry(), verification);
                CountingGate gate = new CountingGate(station.marker().gate());
                Optional<Camera> camera = verification ? station.camera().map(Camera.class::cast) : Optional.empty();
                // Registered after the station's own camera feed, so it fires once the photo is taken,
                // right before the marker hands the completion to its front end.
                Map<String, Long> handedOver = new ConcurrentHashMap<>();
                station.marker().onEtch((order, readable) -> handedOver.put(order.id(), System.nanoTime()));
                emitted.add(handedOver);
                MarkerLink plain = station.link(MarkerTimeouts.defaults());
                WireTap tap = new WireTap(plain.transport());
                taps.add(tap);
                PipelineSettings settings = new PipelineSettings(LineSettings.DEFAULT_JOB, queueDepth, Long.MAX_VALUE,
                        Grade.C, Duration.ofMillis(300));
                MarkingPipeline pipeline = new MarkingPipeline(new MarkerLink(plain.dialect(), tap, plain.timeouts()),
                        registry, camera, Optional.of(gate), settings);
                registries.add(registry);
                gates.add(gate);
                pipelines.add(pipeline);
            }
            pipelines.forEach(MarkingPipeline::start);
            // Each line starts once its pipeline is marking, as an operator starts the conveyor.
            long startDeadline = System.nanoTime() + START_LIMIT.toNanos();
            for (int i = 0; i < stations.size(); i++) {
                while (pipelines.get(i).status().state() != StationState.RUNNING) {
                    if (System.nanoTime() > startDeadline) {
                        return failed(name, dialects.size(), speed, queueDepth, verification,
                                "station " + (i + 1) + " did not start marking within " + START_LIMIT.toSeconds()
                                        + " s: " + pipelines.get(i).status());
                    }
                    Thread.sleep(10);
                }
                stations.get(i).marker().startLine();
            }
            Thread.sleep(warmup.toMillis());

            List<LineStatistics> before = new ArrayList<>();
            long[] releasedBefore = new long[stations.size()];
            long[] lateBefore = new long[stations.size()];
            long[] voidedBefore = new long[stations.size()];
            int[] settledBefore = new int[stations.size()];
            CpuSample first = CpuSample.take();
            long windowStartUptime = GcPauses.uptimeMillis();
            for (int i = 0; i < stations.size(); i++) {
                before.add(stations.get(i).marker().statistics());
                releasedBefore[i] = gates.get(i).released();
                lateBefore[i] = gates.get(i).late();
                voidedBefore[i] = registries.get(i).voidedCount();
                settledBefore[i] = registries.get(i).settledCount();
            }
            Thread.sleep(window.toMillis());
            List<LineStatistics> after = new ArrayList<>();
            long[] releasedAfter = new long[stations.size()];
            long[] lateAfter = new long[stations.size()];
            long[] voidedAfter = new long[stations.size()];
            int[] settledAfter = new int[stations.size()];
            for (int i = 0; i < stations.size(); i++) {
                after.add(stations.get(i).marker().statistics());
                releasedAfter[i] = gates.get(i).released();
                lateAfter[i] = gates.get(i).late();
                voidedAfter[i] = registries.get(i).voidedCount();
                settledAfter[i] = registries.get(i).settledCount();
            }
            CpuSample last = CpuSample.take();
            long windowEndUptime = GcPauses.uptimeMillis();
            double seconds = last.wallSince(first).toNanos() / 1e9;

            // As an operator ends a lot: the conveyor stops, then each run clears its marker and settles.
            stations.forEach(s -> s.marker().stopLine());
            pipelines.forEach(MarkingPipeline::stop);
            for (MarkingPipeline pipeline : pipelines) {
                pipeline.awaitFinished(Duration.ofSeconds(15));
            }
            Thread.sleep(LineSettings.typical(seed).gateDelay().toMillis() + 200);

            List<Station> perStation = new ArrayList<>();
            Map<String, Long> voidReasons = new TreeMap<>();
            long items = 0;
            for (int i = 0; i < stations.size(); i++) {
                BenchStation station = stations.get(i);
                TimedRegistry registry = registries.get(i);
                LineStatistics b = before.get(i);
                LineStatistics a = after.get(i);
                long released = releasedAfter[i] - releasedBefore[i];
                long stationItems = a.items() - b.items();
                items += settledAfter[i] - settledBefore[i];
                long[] verify = verification ? registry.verifyNanos(settledBefore[i], settledAfter[i]) : new long[0];
                List<String> violations = new ArrayList<>(MarkingInvariants.violations(station.marker(),
                        registry.ledger(), pipelines.get(i).status(), verification));
                if (!pipelines.get(i).status().state().ended()) {
                    violations.add("the run did not finish after stop: " + pipelines.get(i).status());
                }
                perStation.add(new Station(i + 1, station.dialect(), stationItems, a.underruns() - b.underruns(),
                        a.missed() - b.missed(), released, lateAfter[i] - lateBefore[i],
                        voidedAfter[i] - voidedBefore[i], released / seconds,
                        verification ? Stats.percentile(verify, 50) / 1e3 : Double.NaN,
                        verification ? Stats.percentile(verify, 99) / 1e3 : Double.NaN,
                        stall(station.dialect(), taps.get(i), emitted.get(i), registry, settledBefore[i],
                                settledAfter[i], verify, first.nanos, last.nanos),
                        violations, pipelines.get(i).status().state()));
                registry.ledger().voidReasons().values().forEach(reason -> voidReasons.merge(reason, 1L, Long::sum));
            }
            Map<CpuSample.Part, Double> cpuPerItem = new TreeMap<>();
            long settledItems = Math.max(1, items);
            last.since(first).forEach((part, nanos) -> cpuPerItem.put(part, nanos / 1e3 / settledItems));
            double wall = last.wallSince(first).toNanos();
            return new Result(name, dialects.size(), speed, queueDepth, verification, seconds, perStation, items,
                    last.processSince(first) / wall, cpuPerItem, last.socatSince(first) / wall,
                    last.brokerSince(first) / wall, last.machineBusySince(first), voidReasons,
                    gc.between(windowStartUptime, windowEndUptime), null);
        } finally {
            for (MarkingPipeline pipeline : pipelines) {
                pipeline.close();
            }
            for (BenchStation station : stations) {
                try {
                    station.close();
                } catch (RuntimeException e) {
                    System.err.println("closing a station failed: " + e.getMessage());
                }
            }
        }
    }

    private static Result failed(String name, int stations, double speed, int queueDepth, boolean verification,
            String why) {
        return new Result(name, stations, speed, queueDepth, verification, 0, List.of(), 0, Double.NaN, Map.of(),
                Double.NaN, Double.NaN, Double.NaN, Map.of(), List.of(), why);
    }

    private static Stall stall(String dialect, WireTap tap, Map<String, Long> emitted, TimedRegistry registry,
            int from, int to, long[] verify, long windowStart, long windowEnd) {
        Map<String, Long> heard = new HashMap<>();
        long previousEnqueue = -1;
        long enqueueGap = 0;
        for (WireMessages.Message m : WireMessages.decode(dialect, tap.events())) {
            if (m.kind() == WireMessages.Kind.COMPLETION) {
                heard.putIfAbsent(m.id(), m.nanos());
            } else if (m.kind() == WireMessages.Kind.ENQUEUE && m.nanos() > windowStart && m.nanos() <= windowEnd) {
                if (previousEnqueue >= 0) {
                    enqueueGap = Math.max(enqueueGap, m.nanos() - previousEnqueue);
                }
                previousEnqueue = m.nanos();
            }
        }
        List<Long> toHeard = new ArrayList<>();
        List<Long> inInbox = new ArrayList<>();
        List<String> ids = registry.settledIds();
        for (int i = from; i < to && i < ids.size(); i++) {
            String id = ids.get(i);
            Long handed = emitted.get(id);
            Long delivered = heard.get(id);
            Long marked = registry.markedNanos(id);
            if (handed != null && delivered != null) {
                toHeard.add(delivered - handed);
            }
            if (delivered != null && marked != null) {
                inInbox.add(marked - delivered);
            }
        }
        long[] a = toHeard.stream().mapToLong(Long::longValue).toArray();
        long[] b = inInbox.stream().mapToLong(Long::longValue).toArray();
        return new Stall(Stats.percentile(a, 99) / 1e6, Stats.percentile(a, 100) / 1e6, Stats.percentile(b, 99) / 1e6,
                Stats.percentile(b, 100) / 1e6, verify.length == 0 ? Double.NaN : Stats.percentile(verify, 100) / 1e6,
                enqueueGap / 1e6);
    }
}
