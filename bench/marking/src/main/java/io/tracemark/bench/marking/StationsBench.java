package io.tracemark.bench.marking;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import io.tracemark.marker.simulator.EtchedImages;
import io.tracemark.fixtures.marker.SimulatedStation;
import io.tracemark.marker.verify.Grade;
import io.tracemark.marker.verify.MarkVerifier;

import io.tracemark.bench.support.Stats;
import io.tracemark.bench.support.Text;

/**
 * Part 2: many stations at line speed in one process, with and without verification, all on MQTT
 * and with the three dialects mixed, each scenario for a fixed window after a warm-up.
 */
final class StationsBench {

    /** A scenario: which dialects, and whether the pipelines read every mark back; {@code key} names it on the command line. */
    record Scenario(String key, String name, boolean mixed, boolean verification) {
    }

    record Settings(int stations, double speed, int queueDepth, Duration warmup, Duration window, long seed,
            List<Scenario> scenarios) {
    }

    static final List<Scenario> ALL = List.of(
            new Scenario("mqtt-verified", "all mqtt, verified", false, true),
            new Scenario("mixed-verified", "mixed, verified", true, true),
            new Scenario("mqtt-no-camera", "all mqtt, no camera", false, false),
            new Scenario("mixed-no-camera", "mixed, no camera", true, false));

    /** Photos rendered and verified before the first window, so that the JIT has compiled both. */
    private static final int JIT_WARMUP_PHOTOS = 500;

    private final Settings settings;
    private final List<StationsRun.Result> results = new ArrayList<>();
    /** Warm-up photos that did not pass grade C: the camera feed's own unreadable share. */
    private int unreadableWarmupPhotos;

    StationsBench(Settings settings) {
        this.settings = settings;
    }

    static List<String> dialects(int stations, boolean mixed) {
        List<String> dialects = new ArrayList<>();
        for (int i = 0; i < stations; i++) {
            dialects.add(mixed ? SimulatedStation.DIALECTS.get(i % SimulatedStation.DIALECTS.size()) : "mqtt");
        }
        return dialects;
    }

    void run() throws InterruptedException {
        warmJit();
        for (Scenario scenario : settings.scenarios()) {
            MarkingBench.log("scenario %s: %d stations at %s items/s, %d s warm-up, %d s window", scenario.name(),
                    settings.stations(), Text.num(settings.speed(), 0), settings.warmup().toSeconds(),
                    settings.window().toSeconds());
            StationsRun.Result r = StationsRun.run(scenario.name(), dialects(settings.stations(), scenario.mixed()),
                    settings.speed(), settings.queueDepth(), scenario.verification(), scenario.verification(),
                    settings.warmup(), settings.window(), settings.seed());
            results.add(r);
            if (r.failure() != null) {
                MarkingBench.log("scenario %s failed: %s", scenario.name(), r.failure());
            } else {
                MarkingBench.log("scenario %s: %d underruns, %d missed, %s released items/s, %s JVM cores,"
                        + " machine busy %s, invariants %s", scenario.name(), r.underruns(),
                        r.perStation().stream().mapToLong(StationsRun.Station::missed).sum(),
                        Text.num(r.released() / r.seconds(), 1), Text.num(r.processCores(), 2),
                        Text.percent(r.machineBusy()), r.invariantsHeld() ? "held" : "BROKEN");
            }
        }
    }

    /**
     * The camera feed's render and the pipeline's verification are the heaviest code per item; on a
     * busy machine a cold JIT can leave them interpreted for seconds, which the first window would
     * then measure instead of the steady state. The photos are made as the stations' camera feed
     * makes them (4-pixel modules, light wear, the registry's contents), so the share that fails
     * verification is the feed's own, measured without any load.
     */
    private void warmJit() {
        EtchedImages images = new EtchedImages(4, 4);
        MarkVerifier verifier = new MarkVerifier();
        long started = System.nanoTime();
        for (int i = 0; i < JIT_WARMUP_PHOTOS; i++) {
            String content = "http://localhost:8080/01/09506000134352/21/S" + (i + 1);
            BufferedImage photo = images.render(content, EtchedImages.Degradation.LIGHT, settings.seed() + i);
            if (!verifier.verify(photo, content).passes(Grade.C)) {
                unreadableWarmupPhotos++;
            }
        }
        MarkingBench.log("JIT warm-up: %d photos rendered and verified in %d ms, %d below grade C",
                JIT_WARMUP_PHOTOS, (System.nanoTime() - started) / 1_000_000, unreadableWarmupPhotos);
    }

    void write(Path out, String verdictsOut) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("## 2. ").append(settings.stations()).append(" stations at ").append(Text.num(settings.speed(), 0))
                .append(" items/s each\n\n");
        md.append("All stations run in one JVM, each with its own `MarkingPipeline`, `LedgerRegistry`, simulated"
                + " marker and link: `LineSettings.typical(seed + n).withSpeed(" + Text.num(settings.speed(), 0)
                + ")` (a 16-order queue, 20 ms mark, items every " + Text.whole(1000 / settings.speed())
                + " ms, 300 ms from the marker to the gate), queue depth " + settings.queueDepth()
                + ", `MarkerTimeouts.defaults()`, minimum grade C, 300 ms camera timeout, and the marker's"
                + " reject gate. Each line starts once its pipeline is marking; after " + settings.warmup()
                .toSeconds() + " s the window of " + settings.window().toSeconds() + " s begins. Figures are"
                + " differences of snapshots taken at the window's two ends: every marker's"
                + " `VirtualMarker.statistics()`, the gate's releases and the registry's steps. Then the lines"
                + " stop, every pipeline is stopped (it clears its marker's queue and settles what is in"
                + " flight), and `MarkingInvariants` is checked for every station once the last items have"
                + " reached their gates. Before the first scenario the JVM renders and verifies "
                + JIT_WARMUP_PHOTOS + " photos as the camera feed makes them, so that no window measures a cold"
                + " JIT; " + unreadableWarmupPhotos + " of them (" + Text.num(100.0 * unreadableWarmupPhotos
                / JIT_WARMUP_PHOTOS, 1) + " %) did not pass grade C with no load at all, which is the share"
                + " of codes the verified scenarios void for the simulator's photos alone (\"verification"
                + " failed\" below).\n\n");
        md.append("- **verified**: stations as shipped (`SimulatedStation`), the pipeline with the station's"
                + " camera: every mark is photographed by the simulator, decoded and graded by the pipeline"
                + " (`MarkVerifier`), and its item released at the gate only if it passes (full verification).\n");
        md.append("- **no camera**: the same stations without the camera feed, the pipeline without a camera:"
                + " codes stop at MARKED and the item is released at once; the gate still rejects any item not"
                + " released in time.\n");
        md.append("- **all mqtt**: every station on MQTT through the one Mosquitto, as a plant with many"
                + " stations would connect them to a server, and the dialect that costs the most CPU per code"
                + " (section 1): the worst case for the two cores. **mixed**: ascii, framed and mqtt in turn"
                + " (station 1 ascii, 2 framed, 3 mqtt, …), so that socat pairs and the broker share the"
                + " machine as they would at a site with all three kinds of marker.\n\n");
        md.append("Per window: an **underrun** is an item that passed the marker while its queue was empty"
                + " (the line waited on codes: the pipeline fell behind); **missed** is an item that passed"
                + " while the simulated laser was still busy with the previous one (the simulator's own thread"
                + " fell behind the line, which a real laser, being hardware, does not); **released** are gate"
                + " releases in time; **late** are releases asked for after the item had reached the gate and"
                + " been pushed off; **MARKED→VERIFIED** is the pipeline's wait for the photo, decoding and"
                + " grading per code.\n\n");
        md.append("| scenario | items past the markers | underruns (stations with any) | missed | released"
                + " items/s, all stations | per station min / median / max | late releases | voided |"
                + " MARKED→VERIFIED p50 / p99 ms (median station) | JVM cores | socat + broker cores |"
                + " machine busy | invariants held |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        StringBuilder stalls = new StringBuilder();
        for (StationsRun.Result r : results) {
            if (r.failure() != null) {
                md.append("| ").append(r.name()).append(" | **failed**: ").append(r.failure())
                        .append(" | | | | | | | | | | | |\n");
                continue;
            }
            long withUnderruns = r.perStation().stream().filter(s -> s.underruns() > 0).count();
            md.append("| ").append(r.name()).append(" | ").append(r.items()).append(" | ").append(r.underruns())
                    .append(" (").append(withUnderruns).append(" of ").append(r.stations()).append(") | ")
                    .append(sum(r, StationsRun.Station::missed)).append(" | ")
                    .append(Text.num(r.released() / r.seconds(), 1)).append(" of ")
                    .append(Text.whole(r.stations() * r.speed())).append(" | ")
                    .append(Text.num(stat(r, StationsRun.Station::releasedPerSecond, 0), 1)).append(" / ")
                    .append(Text.num(stat(r, StationsRun.Station::releasedPerSecond, 50), 1)).append(" / ")
                    .append(Text.num(stat(r, StationsRun.Station::releasedPerSecond, 100), 1)).append(" | ")
                    .append(sum(r, StationsRun.Station::lateReleases)).append(" | ")
                    .append(sum(r, StationsRun.Station::voided)).append(" | ")
                    .append(r.verification() ? Text.num(stat(r, StationsRun.Station::verifyP50, 50) / 1e3, 1) + " / "
                            + Text.num(stat(r, StationsRun.Station::verifyP99, 50) / 1e3, 1) : "n/a").append(" | ")
                    .append(Text.num(r.processCores(), 2)).append(" | ")
                    .append(Text.num(r.socatCores() + r.brokerCores(), 2)).append(" | ")
                    .append(Text.percent(r.machineBusy())).append(" | ")
                    .append(r.perStation().stream().filter(s -> s.violations().isEmpty()).count()).append(" of ")
                    .append(r.stations()).append(" |\n");
            stalls.append("| ").append(r.name()).append(" | ")
                    .append(Text.num(stat(r, s -> s.stall().heardP99(), 50), 1)).append(" / ")
                    .append(Text.num(stat(r, s -> s.stall().heardMax(), 100), 1)).append(" | ")
                    .append(Text.num(stat(r, s -> s.stall().inboxP99(), 50), 1)).append(" / ")
                    .append(Text.num(stat(r, s -> s.stall().inboxMax(), 100), 1)).append(" | ")
                    .append(r.verification() ? Text.num(stat(r, s -> s.stall().verifyMax(), 100), 1) : "n/a")
                    .append(" | ").append(Text.num(stat(r, s -> s.stall().enqueueGapMax(), 100), 1)).append(" | ")
                    .append(r.gcPauses().size()).append(" / ")
                    .append(r.gcPauses().stream().mapToLong(GcPauses.Pause::durationMillis).sum()).append(" / ")
                    .append(r.gcPauses().stream().mapToLong(GcPauses.Pause::durationMillis).max().orElse(0))
                    .append(" |\n");
        }
        md.append("\n### Where the completions waited (ms)\n\n");
        md.append("Each code's way from the simulated marker handing its completion to its front end (after the"
                + " photo, with a camera feed) to the pipeline persisting it: **handed over→heard** is the front"
                + " end, the link and the broker, until the driver's transport delivered the completion (a"
                + " transport decorator records it); **heard→MARKED** is the wait in the pipeline's inbox while"
                + " its one thread is busy (sending, verifying); **MARKED→VERIFIED** is the photo, decoding and"
                + " grading. The simulated laser's own lateness (rendering the photo on a starved core) shows as"
                + " *missed* items above and is not in these stages. With " + settings.queueDepth()
                + " codes queued and an item every " + Text.whole(1000 / settings.speed()) + " ms, an underrun"
                + " needs about " + Text.whole(settings.queueDepth() * 1000 / settings.speed()) + " ms of delay on"
                + " this path; a late release, over 300 ms from etch to release.\n\n");
        md.append("| scenario | handed over→heard p99 (median station) / longest (any station) | heard→MARKED p99 /"
                + " longest | MARKED→VERIFIED longest | longest gap between two ENQs of a station |"
                + " GC pauses in the window: count / total / longest |\n");
        md.append("| --- | --- | --- | --- | --- | --- |\n");
        md.append(stalls);

        md.append("\n### CPU per settled code, by part (µs)\n\n| scenario |");
        for (CpuSample.Part part : CpuSample.Part.values()) {
            md.append(' ').append(part.name().toLowerCase().replace('_', ' ')).append(" |");
        }
        md.append(" socat + broker cores |\n|").append(" --- |".repeat(CpuSample.Part.values().length + 2))
                .append('\n');
        for (StationsRun.Result r : results) {
            if (r.failure() != null) {
                continue;
            }
            md.append("| ").append(r.name()).append(" |");
            for (CpuSample.Part part : CpuSample.Part.values()) {
                md.append(' ').append(Text.whole(r.cpuPerItem().getOrDefault(part, Double.NaN))).append(" |");
            }
            md.append(' ').append(Text.num(r.socatCores() + r.brokerCores(), 2)).append(" |\n");
        }
        md.append("\nPer code settled in the window (VERIFIED with a camera, MARKED without). With verification"
                + " the pipeline part includes decoding and grading each photo, and the simulated marker part"
                + " rendering it.\n");

        for (StationsRun.Result r : results) {
            if (r.failure() != null) {
                continue;
            }
            md.append("\n### ").append(r.name()).append(": every station\n\n");
            md.append("| station | dialect | items | underruns | missed | released/s | late | voided |"
                    + " MARKED→VERIFIED p50 / p99 / longest ms | handed over→heard p99 / longest ms |"
                    + " heard→MARKED p99 / longest ms | longest ENQ gap ms | invariants |\n");
            md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
            for (StationsRun.Station s : r.perStation()) {
                md.append("| ").append(s.number()).append(" | ").append(s.dialect()).append(" | ").append(s.items())
                        .append(" | ").append(s.underruns()).append(" | ").append(s.missed()).append(" | ")
                        .append(Text.num(s.releasedPerSecond(), 1)).append(" | ").append(s.lateReleases())
                        .append(" | ").append(s.voided()).append(" | ")
                        .append(r.verification() ? Text.num(s.verifyP50() / 1e3, 1) + " / "
                                + Text.num(s.verifyP99() / 1e3, 1) + " / " + Text.num(s.stall().verifyMax(), 1) : "n/a")
                        .append(" | ").append(Text.num(s.stall().heardP99(), 1)).append(" / ")
                        .append(Text.num(s.stall().heardMax(), 1)).append(" | ")
                        .append(Text.num(s.stall().inboxP99(), 1)).append(" / ")
                        .append(Text.num(s.stall().inboxMax(), 1)).append(" | ")
                        .append(Text.num(s.stall().enqueueGapMax(), 1)).append(" | ")
                        .append(s.violations().isEmpty() ? "held" : "**broken**: " + String.join("; ", s.violations()))
                        .append(" |\n");
            }
            if (!r.voidReasons().isEmpty()) {
                md.append("\nVoided codes over the whole run, stop included, by reason: ");
                List<String> reasons = new ArrayList<>();
                for (Map.Entry<String, Long> e : r.voidReasons().entrySet()) {
                    reasons.add(e.getValue() + " × \"" + e.getKey() + "\"");
                }
                md.append(String.join("; ", reasons)).append(". Stopping a run clears the marker's queue, so the"
                        + " codes still queued then are voided as doubtful by design.\n");
            }
        }
        Files.writeString(out, md.toString());
        Files.writeString(Path.of(verdictsOut), verdicts());
    }

    private String verdicts() {
        StringBuilder v = new StringBuilder();
        for (StationsRun.Result r : results) {
            if (r.failure() != null) {
                v.append("- ").append(r.stations()).append(" stations, ").append(r.name()).append(": failed (")
                        .append(r.failure()).append(").\n");
                continue;
            }
            long withUnderruns = r.perStation().stream().filter(s -> s.underruns() > 0).count();
            v.append("- ").append(r.stations()).append(" stations at ").append(Text.num(r.speed(), 0))
                    .append(" items/s, ").append(r.name()).append(": ")
                    .append(Text.count(r.underruns(), "underrun", "underruns")).append(" in the ")
                    .append(Text.whole(r.seconds())).append(" s window (")
                    .append(Text.count(withUnderruns, "station", "stations")).append(" with any), which ")
                    .append(Text.meets(r.underruns() == 0)).append(" the aim of zero; ")
                    .append(Text.num(r.released() / r.seconds(), 1)).append(" items/s released of ")
                    .append(Text.whole(r.stations() * r.speed())).append(", ")
                    .append(sum(r, StationsRun.Station::missed)).append(" items missed by the simulated lasers; the"
                            + " JVM used ").append(Text.num(r.processCores(), 2)).append(" cores with the machine ")
                    .append(Text.percent(r.machineBusy())).append(" busy; invariants ")
                    .append(r.invariantsHeld() ? "held for every station" : "BROKEN on some station").append(". Of the")
                    .append(" JVM's cores the driver (pipeline and its link threads) used ")
                    .append(Text.num(r.cores(CpuSample.Part.PIPELINE) + r.cores(CpuSample.Part.DRIVER_LINK), 2))
                    .append(", the simulator (markers, their camera feeds and front ends) ")
                    .append(Text.num(r.cores(CpuSample.Part.MARKER) + r.cores(CpuSample.Part.FRONT_END), 2))
                    .append(", garbage collection and the JIT ").append(Text.num(r.cores(CpuSample.Part.JVM), 2))
                    .append(".");
            List<StationsRun.Station> troubled = r.perStation().stream()
                    .filter(s -> s.underruns() > 0 || s.lateReleases() > 0).toList();
            if (!troubled.isEmpty()) {
                v.append(" At the ").append(Text.count(troubled.size(), "station", "stations"))
                        .append(" with underruns or late releases the longest delays were: handed over→heard ")
                        .append(Text.num(troubled.stream().mapToDouble(s -> s.stall().heardMax()).max().orElse(Double.NaN), 0))
                        .append(" ms, heard→MARKED ")
                        .append(Text.num(troubled.stream().mapToDouble(s -> s.stall().inboxMax()).max().orElse(Double.NaN), 0))
                        .append(r.verification() ? " ms, MARKED→VERIFIED " + Text.num(troubled.stream()
                                .mapToDouble(s -> s.stall().verifyMax()).max().orElse(Double.NaN), 0) : "")
                        .append(" ms, between two ENQs ")
                        .append(Text.num(troubled.stream().mapToDouble(s -> s.stall().enqueueGapMax()).max().orElse(Double.NaN), 0))
                        .append(" ms; the longest GC pause was ")
                        .append(r.gcPauses().stream().mapToLong(GcPauses.Pause::durationMillis).max().orElse(0))
                        .append(" ms, and the simulated lasers there missed ")
                        .append(Text.count(troubled.stream().mapToLong(StationsRun.Station::missed).sum(), "item",
                                "items")).append(".");
            }
            v.append("\n");
        }
        return v.toString();
    }

    private static long sum(StationsRun.Result r, java.util.function.ToLongFunction<StationsRun.Station> f) {
        return r.perStation().stream().mapToLong(f).sum();
    }

    private static double stat(StationsRun.Result r, ToDoubleFunction<StationsRun.Station> f, double percentile) {
        double[] values = r.perStation().stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        if (percentile == 50) {
            return Stats.median(java.util.Arrays.stream(values).boxed().toList());
        }
        return percentile == 0 ? values[0] : values[values.length - 1];
    }
}
