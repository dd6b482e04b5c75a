package io.tracemark.bench.marking;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.tracemark.fixtures.marker.LedgerRegistry;
import io.tracemark.fixtures.marker.PanasonicLpSimulator;
import io.tracemark.fixtures.marker.PtyPair;
import io.tracemark.marker.Dialects;
import io.tracemark.marker.MarkerTimeouts;
import io.tracemark.marker.pipeline.MarkerLink;
import io.tracemark.marker.pipeline.MarkingPipeline;
import io.tracemark.marker.pipeline.PipelineSettings;
import io.tracemark.marker.simulator.LineItem;
import io.tracemark.marker.transport.SerialSettings;
import io.tracemark.marker.transport.SerialTransport;
import io.tracemark.marker.transport.TcpTransport;
import io.tracemark.marker.transport.Transport;
import io.tracemark.marker.verify.Grade;

/**
 * A Panasonic LP marker as the line sees it: one code at a time, an item under the photo-eye as
 * soon as a code is armed, so each item takes the marker's mark time plus what the driver
 * exchanges between two marks (confirm the mark by the counter, read back, read the counter before
 * the next code, disarm, check the marking end permission, set the code data, read the counter,
 * arm). The driver's overhead per item is the measured cycle minus the mark time, at the
 * simulator's mark times, on a pseudo-terminal paced at 115200 baud 8N1 and on loopback TCP.
 */
final class PanasonicLpBench {

    record Settings(int runs, int items, int warmup, List<Duration> markTimes, long seed, Duration runLimit) {
    }

    private record Result(String link, Duration markTime, double itemsPerSecond, double cycleMs, double overheadMs,
            List<String> violations) {
    }

    private static final String SERIAL = "RS-232C 115200 8N1 (pty, paced)";
    private static final String TCP = "Ethernet (loopback TCP)";
    private static final double AIM = 0.05;

    private final Settings settings;
    private final List<Result> results = new ArrayList<>();

    PanasonicLpBench(Settings settings) {
        this.settings = settings;
    }

    void run() throws Exception {
        // The first round warms the JIT up and is not counted.
        for (int round = 0; round <= settings.runs(); round++) {
            for (Duration markTime : settings.markTimes()) {
                for (String link : List.of(SERIAL, TCP)) {
                    Result result = runOnce(link, markTime, settings.seed() + round);
                    MarkingBench.log("panasonic-lp round %d, %s, mark %d ms: %.1f items/s, overhead %.2f ms/item",
                            round, link, markTime.toMillis(), result.itemsPerSecond(), result.overheadMs());
                    if (round > 0) {
                        results.add(result);
                    }
                }
            }
        }
    }

    private Result runOnce(String link, Duration markTime, long seed) throws Exception {
        int total = settings.warmup() + settings.items();
        PtyPair pty = link.equals(SERIAL) ? PtyPair.open() : null;
        try (PanasonicLpSimulator marker = new PanasonicLpSimulator(false, false, markTime, seed)
                .itemAlwaysWaiting().withoutGate()) {
            Transport transport;
            if (pty != null) {
                marker.onSerial(pty);
                transport = new PacedLine(new SerialTransport(SerialSettings.of(pty.hostPath().toString(), 115_200)),
                        115_200, 10);
            } else {
                marker.onTcp();
                transport = new TcpTransport(marker.address());
            }
            TimedRegistry registry = new TimedRegistry(new LedgerRegistry(), false);
            try (MarkingPipeline pipeline = new MarkingPipeline(new MarkerLink(Dialects.byName("panasonic-lp"),
                    transport, MarkerTimeouts.defaults()), registry, Optional.empty(), Optional.empty(),
                    new PipelineSettings("0001", 1, total, Grade.C, Duration.ofMillis(300)))) {
                pipeline.start();
                if (!pipeline.awaitFinished(settings.runLimit())) {
                    throw new IllegalStateException("panasonic-lp on " + link + " did not settle " + total
                            + " codes within " + settings.runLimit() + ": " + pipeline.status());
                }
                long[] settled = registry.settledNanos();
                Arrays.sort(settled);
                double seconds = (settled[total - 1] - settled[settings.warmup() - 1]) / 1e9;
                double cycleMs = seconds * 1000 / settings.items();
                List<String> violations = new ArrayList<>(registry.ledger().violations());
                if (!LineItem.idsOnSeveralItems(marker.lineItems()).isEmpty()) {
                    violations.add("codes on several items: " + LineItem.idsOnSeveralItems(marker.lineItems()));
                }
                if (registry.ledger().count(LedgerRegistry.State.MARKED) != total) {
                    violations.add("marked " + registry.ledger().counts() + " of " + total);
                }
                return new Result(link, markTime, settings.items() / seconds, cycleMs,
                        cycleMs - markTime.toNanos() / 1e6, violations);
            }
        } finally {
            if (pty != null) {
                pty.close();
            }
        }
    }

    void write(Path out, Path verdicts) throws IOException {
        StringBuilder md = new StringBuilder();
        StringBuilder verdict = new StringBuilder();
        md.append("## 3. Panasonic LP: the driver's overhead per item on the marker's own cycle\n\n");
        md.append("One `PanasonicLpSimulator` per run, its photo-eye seeing an item the moment a code is armed"
                + " (`itemAlwaysWaiting`), so that each item takes the marker's mark time plus the driver's exchanges"
                + " between two marks; the real `MarkingPipeline` with the `panasonic-lp` dialect (no checksum, CR),"
                + " `MarkerTimeouts.defaults()`, no camera, no gate, codes of 48 characters (two 30-character strings"
                + " of `BCS`). Serial is a socat pseudo-terminal pair with the driver's transport paced at 115200 baud"
                + " 8N1 in both directions (`PacedLine`); Ethernet is loopback TCP. ")
                .append(settings.warmup()).append(" warm-up codes, then ").append(settings.items())
                .append(" measured; ").append(settings.runs())
                .append(" counted rounds after a warm-up round; medians with the range in brackets. **Cycle**: the time"
                        + " between the settling (MARKED) of consecutive codes; **overhead**: cycle minus mark time, what"
                        + " the driver adds per item; **share**: overhead over the mark time, the aim being under 5 %.\n\n");
        md.append("| link | mark time | items/s | cycle (ms) | overhead (ms/item) | share of mark time | invariants |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (Duration markTime : settings.markTimes()) {
            for (String link : List.of(SERIAL, TCP)) {
                List<Result> rows = results.stream().filter(r -> r.link().equals(link) && r.markTime().equals(markTime))
                        .toList();
                double[] rate = rows.stream().mapToDouble(Result::itemsPerSecond).sorted().toArray();
                double[] cycle = rows.stream().mapToDouble(Result::cycleMs).sorted().toArray();
                double[] overhead = rows.stream().mapToDouble(Result::overheadMs).sorted().toArray();
                List<String> broken = rows.stream().flatMap(r -> r.violations().stream()).toList();
                double share = median(overhead) / (markTime.toNanos() / 1e6);
                md.append(String.format(Locale.ROOT, "| %s | %d ms | %s | %s | %s | %.1f %% | %s |%n", link,
                        markTime.toMillis(), ranged(rate, "%.1f"), ranged(cycle, "%.2f"), ranged(overhead, "%.2f"),
                        share * 100, broken.isEmpty() ? "held" : String.join("; ", broken)));
                verdict.append(String.format(Locale.ROOT,
                        "- Panasonic LP, %s, mark time %d ms: the driver adds %.2f ms per item, %.1f %% of the mark"
                                + " time, which %s the aim of under 5 %%.%n",
                        link, markTime.toMillis(), median(overhead), share * 100, share < AIM ? "meets" : "misses"));
            }
        }
        Files.writeString(out, md.toString());
        Files.writeString(verdicts, verdict.toString());
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String ranged(double[] sorted, String format) {
        return String.format(Locale.ROOT, format + " [" + format + "–" + format + "]", median(sorted), sorted[0],
                sorted[sorted.length - 1]);
    }
}
