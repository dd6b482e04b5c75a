package io.tracemark.bench.marking;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.tracemark.fixtures.marker.LedgerRegistry;
import io.tracemark.marker.simulator.LineSettings;
import io.tracemark.fixtures.marker.MarkingInvariants;
import io.tracemark.marker.simulator.VirtualMarker;
import io.tracemark.marker.MarkerTimeouts;
import io.tracemark.marker.pipeline.MarkerLink;
import io.tracemark.marker.pipeline.MarkingPipeline;
import io.tracemark.marker.pipeline.PipelineSettings;
import io.tracemark.marker.pipeline.PipelineStatus;
import io.tracemark.marker.transport.Transport;
import io.tracemark.marker.verify.Grade;

import io.tracemark.bench.support.Stats;

/**
 * One run of the real pipeline against one simulated station, as fast as the link allows: zero
 * mark time, an item always under the head ({@link LineSettings#unlimited}), no camera (codes stop
 * at MARKED and the item is released at once) and no gate. The first {@code warmup} settled codes
 * are not measured; the next {@code items} are.
 */
final class DialectRun {

    /** What one run measured; times in microseconds, rates per second, CPU per measured item. */
    record Result(String variant, String dialect, boolean paced, int items, double itemsPerSecond,
            double latencyP50, double latencyP99, double roundTripP50,
            double roundTripP99, double eventToSettleP50, double eventToSettleP99, double bytesOutPerItem,
            double bytesInPerItem, Map<String, Double> messagesPerItem, int enqueueBytes, int answerBytes,
            int completionBytes, double completionFirstShare,
            Map<CpuSample.Part, Double> cpuPerItem, double socatCpuPerItem, double brokerCpuPerItem,
            double processCores, double machineBusy, List<String> violations, String failure) {

        boolean ok() {
            return failure == null && violations.isEmpty();
        }
    }

    static final int SERIAL_BAUD = 115_200;
    /** 8N1: a start bit, eight data bits and a stop bit for every byte. */
    static final int BITS_PER_BYTE = 10;

    private DialectRun() {
    }

    /**
     * @param cameraFeed true for the fixtures' {@link io.tracemark.fixtures.marker.SimulatedStation}, which
     *                   photographs every etch; false for the same station without its camera feed
     */
    static Result run(String variant, String dialect, boolean cameraFeed, boolean paced, int warmup, int items,
            int queueDepth, long seed, Duration limit) throws InterruptedException {
        LineSettings line = LineSettings.unlimited(seed);
        try (BenchStation station = cameraFeed ? BenchStation.simulated(dialect, line)
                : BenchStation.withoutCamera(dialect, line)) {
            MarkerLink plain = station.link(MarkerTimeouts.defaults());
            Transport wire = paced ? new PacedLine(plain.transport(), SERIAL_BAUD, BITS_PER_BYTE) : plain.transport();
            WireTap tap = new WireTap(wire);
            MarkerLink link = new MarkerLink(plain.dialect(), tap, plain.timeouts());
            TimedRegistry registry = new TimedRegistry(new LedgerRegistry(), false);
            // A tail of codes past the measured ones keeps the pipeline and its link working while the
            // closing CPU sample is taken (a few milliseconds): a thread that has ended takes its CPU
            // time with it.
            int tail = Math.max(100, items / 10);
            PipelineSettings settings = new PipelineSettings(LineSettings.DEFAULT_JOB, queueDepth,
                    warmup + items + tail, Grade.C, Duration.ofMillis(300));
            VirtualMarker marker = station.marker();
            CpuSample first = null;
            CpuSample last = null;
            int firstCount = 0;
            int lastCount = 0;
            String failure = null;
            PipelineStatus status;
            try (MarkingPipeline pipeline = new MarkingPipeline(link, registry, Optional.empty(), Optional.empty(),
                    settings)) {
                long deadline = System.nanoTime() + limit.toNanos();
                pipeline.start();
                marker.startLine();
                // Sampled on this thread rather than inside the registry, so the driver thread never pays for it.
                registry.awaitSettled(warmup, deadline);
                first = CpuSample.take();
                firstCount = registry.settledCount();
                registry.awaitSettled(warmup + items, deadline);
                last = CpuSample.take();
                lastCount = registry.settledCount();
                boolean finished = pipeline.awaitFinished(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))
                        .plusSeconds(5));
                marker.stopLine();
                if (!finished) {
                    failure = "not finished within " + limit.toSeconds() + " s: " + pipeline.status();
                    pipeline.stop();
                    pipeline.awaitFinished(Duration.ofSeconds(10));
                }
                status = pipeline.status();
            }
            List<String> violations = MarkingInvariants.violations(marker, registry.ledger(), status, false);
            return analyse(variant, dialect, paced, warmup, items, registry, tap, first, last, lastCount - firstCount,
                    violations, failure);
        }
    }

    private static Result analyse(String variant, String dialect, boolean paced, int warmup, int items,
            TimedRegistry registry, WireTap tap, CpuSample first, CpuSample last, int sampledItems,
            List<String> violations, String failure) {
        long[] settled = registry.settledNanos();
        List<String> ids = registry.settledIds();
        if (settled.length < warmup + items) {
            String why = failure != null ? failure : "only " + settled.length + " of " + (warmup + items)
                    + " codes settled";
            return failed(variant, dialect, paced, violations, why);
        }
        int from = warmup - 1;
        int to = warmup + items - 1;
        long start = from < 0 ? settled[0] : settled[from];
        long end = settled[to];
        double seconds = (end - start) / 1e9;
        int measured = from < 0 ? items - 1 : items;

        List<WireMessages.Message> messages = WireMessages.decode(dialect, tap.events());
        Map<String, Long> enqueued = new HashMap<>();
        Map<String, Long> completed = new HashMap<>();
        Map<String, List<Long>> answers = new HashMap<>();
        for (WireMessages.Message m : messages) {
            switch (m.kind()) {
                case ENQUEUE -> enqueued.putIfAbsent(m.id(), m.nanos());
                case COMPLETION -> completed.putIfAbsent(m.id(), m.nanos());
                case ANSWER -> answers.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(m.nanos());
                default -> {
                }
            }
        }
        List<Long> latency = new ArrayList<>();
        List<Long> eventToSettle = new ArrayList<>();
        for (int i = to - measured + 1; i <= to; i++) {
            Long sent = enqueued.get(ids.get(i));
            if (sent != null) {
                latency.add(settled[i] - sent);
            }
            Long heard = completed.get(ids.get(i));
            if (heard != null) {
                eventToSettle.add(settled[i] - heard);
            }
        }
        List<Long> roundTrips = new ArrayList<>();
        // A completion that arrives while the ENQ is still crossing the other direction of the line
        // overlaps it; only one arriving after the marker had the whole ENQ can hold its answer up.
        long nanosPerByte = paced ? Math.round(BITS_PER_BYTE * 1e9 / SERIAL_BAUD) : 0;
        long[] times = messages.stream().mapToLong(WireMessages.Message::nanos).toArray();
        int answered = 0;
        int completionFirst = 0;
        for (WireMessages.Message m : messages) {
            if (m.kind() == WireMessages.Kind.ENQUEUE && m.nanos() > start && m.nanos() <= end) {
                Long answer = firstAfter(answers.get(m.key()), m.nanos());
                if (answer != null) {
                    roundTrips.add(answer - m.nanos());
                    answered++;
                    if (completionAhead(messages, times, m.nanos() + m.bytes() * nanosPerByte, answer)) {
                        completionFirst++;
                    }
                }
            }
        }

        long bytesOut = 0;
        long bytesIn = 0;
        Map<String, Double> perItem = new TreeMap<>();
        List<Integer> enqueueSizes = new ArrayList<>();
        List<Integer> answerSizes = new ArrayList<>();
        List<Integer> completionSizes = new ArrayList<>();
        for (WireTap.Event event : tap.events()) {
            boolean inWindow = event.nanos() > start && event.nanos() <= end;
            if (inWindow) {
                if (event.direction() == WireTap.Direction.OUT) {
                    bytesOut += event.payload().length;
                } else {
                    bytesIn += event.payload().length;
                }
                if (event.topic() != null) {
                    perItem.merge((event.direction() == WireTap.Direction.OUT ? "→ " : "← ") + event.topic(),
                            1.0 / measured, Double::sum);
                }
            }
        }
        for (WireMessages.Message m : messages) {
            if (m.nanos() > start && m.nanos() <= end) {
                if (m.kind() == WireMessages.Kind.ENQUEUE) {
                    enqueueSizes.add(m.bytes());
                } else if (m.kind() == WireMessages.Kind.ANSWER) {
                    answerSizes.add(m.bytes());
                } else if (m.kind() == WireMessages.Kind.COMPLETION) {
                    completionSizes.add(m.bytes());
                }
            }
        }

        Map<CpuSample.Part, Double> cpuPerItem = new TreeMap<>();
        double socat = Double.NaN;
        double broker = Double.NaN;
        double cores = Double.NaN;
        double machine = Double.NaN;
        if (first != null && last != null && sampledItems > 0) {
            last.since(first).forEach((part, nanos) -> cpuPerItem.put(part, nanos / 1e3 / sampledItems));
            socat = last.socatSince(first) / 1e3 / sampledItems;
            broker = last.brokerSince(first) / 1e3 / sampledItems;
            cores = last.processSince(first) / (double) last.wallSince(first).toNanos();
            machine = last.machineBusySince(first);
        }
        return new Result(variant, dialect, paced, measured, measured / seconds,
                micros(percentile(latency, 50)), micros(percentile(latency, 99)),
                micros(percentile(roundTrips, 50)), micros(percentile(roundTrips, 99)),
                micros(percentile(eventToSettle, 50)), micros(percentile(eventToSettle, 99)),
                bytesOut / (double) measured, bytesIn / (double) measured, perItem, medianInt(enqueueSizes),
                medianInt(answerSizes), medianInt(completionSizes),
                answered == 0 ? Double.NaN : completionFirst / (double) answered, cpuPerItem, socat, broker, cores, machine, violations, failure);
    }

    static Result failed(String variant, String dialect, boolean paced, List<String> violations, String why) {
        return new Result(variant, dialect, paced, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, Map.of(), 0, 0, 0, Double.NaN, Map.of(),
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, violations, why);
    }

    private static Long firstAfter(List<Long> times, long after) {
        if (times == null) {
            return null;
        }
        for (long t : times) {
            if (t > after) {
                return t;
            }
        }
        return null;
    }

    /**
     * Whether a completion reached the driver after {@code after} and ahead of the answer read at
     * {@code answered}: earlier, or in the same chunk before it ({@code messages} keep the order in
     * which each chunk held them).
     */
    private static boolean completionAhead(List<WireMessages.Message> messages, long[] times, long after,
            long answered) {
        int i = java.util.Arrays.binarySearch(times, after + 1);
        int first = i >= 0 ? i : -i - 1;
        // binarySearch may land on any of several equal times; the first of them is wanted.
        while (first > 0 && times[first - 1] > after) {
            first--;
        }
        for (WireMessages.Message m : messages.subList(first, messages.size())) {
            if (m.nanos() > answered) {
                return false;
            }
            if (m.direction() == WireTap.Direction.IN && m.nanos() > after) {
                if (m.kind() == WireMessages.Kind.ANSWER && m.nanos() == answered) {
                    return false;
                }
                if (m.kind() == WireMessages.Kind.COMPLETION) {
                    return true;
                }
            }
        }
        return false;
    }

    private static double percentile(List<Long> values, double p) {
        return Stats.percentile(values.stream().mapToLong(Long::longValue).toArray(), p);
    }

    private static int medianInt(List<Integer> values) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Integer> sorted = new ArrayList<>(values);
        sorted.sort(Integer::compare);
        return sorted.get(sorted.size() / 2);
    }

    private static double micros(double nanos) {
        return nanos / 1e3;
    }
}
