package io.tracemark.bench.marking;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import io.tracemark.bench.support.Stats;
import io.tracemark.bench.support.Text;

/**
 * Part 1: items per second and per-item overhead through each dialect at zero mark time, against
 * the link's own limit measured or computed in the same round. Every round runs every variant once,
 * in the same order, so that all of them see the same stretch of a noisy shared machine; the first
 * round warms the JIT up and is not counted.
 */
final class DialectsBench {

    /** A way of running the pipeline: which dialect, on which station, over which line. */
    record Variant(String name, String dialect, boolean cameraFeed, boolean paced) {
    }

    /** The run's settings, as given on the command line. */
    record Settings(int runs, int items, int warmup, int pacedItems, int pacedWarmup, int queueDepth, long seed,
            Duration runLimit) {
    }

    /** Bytes of an empty framed control frame (ACK, NAK, RESET): docs/markers/framed.md section 2. */
    static final int FRAMED_CONTROL_BYTES = 9;
    /** One direction of an RS-232 line at 115200 baud, 8N1. */
    static final double LINE_BYTES_PER_SECOND = DialectRun.SERIAL_BAUD / (double) DialectRun.BITS_PER_BYTE;

    static final Variant ASCII = new Variant("ascii", "ascii", true, false);
    static final Variant ASCII_BARE = new Variant("ascii, no camera feed", "ascii", false, false);
    static final Variant FRAMED = new Variant("framed", "framed", true, false);
    static final Variant FRAMED_BARE = new Variant("framed, no camera feed", "framed", false, false);
    static final Variant MQTT = new Variant("mqtt", "mqtt", true, false);
    static final Variant MQTT_BARE = new Variant("mqtt, no camera feed", "mqtt", false, false);
    static final Variant ASCII_PACED = new Variant("ascii at 115200 baud", "ascii", false, true);
    static final Variant FRAMED_PACED = new Variant("framed at 115200 baud", "framed", false, true);
    static final String PTY_LOOP = "bare pty request/response";
    static final String PAHO_LOOP = "bare Paho request/response";

    private final Settings settings;
    private final Map<String, List<DialectRun.Result>> results = new LinkedHashMap<>();
    private final Map<String, List<BaselineRun>> baselines = new LinkedHashMap<>();
    private final List<String> runRows = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    DialectsBench(Settings settings) {
        this.settings = settings;
    }

    void run() throws InterruptedException {
        for (int round = 0; round <= settings.runs(); round++) {
            boolean counted = round > 0;
            int items = counted ? settings.items() : Math.max(200, settings.items() / 4);
            int pacedItems = counted ? settings.pacedItems() : Math.max(100, settings.pacedItems() / 4);
            String label = counted ? Integer.toString(round) : "warm-up";
            DialectRun.Result ascii = dialect(label, counted, ASCII, settings.warmup(), items);
            dialect(label, counted, ASCII_BARE, settings.warmup(), items);
            int enqueueBytes = ascii.enqueueBytes() > 0 ? ascii.enqueueBytes() : 62;
            int answerBytes = ascii.answerBytes() > 0 ? ascii.answerBytes() : 7;
            baseline(label, counted, PtyEchoLoop.run(settings.warmup(), items, enqueueBytes, answerBytes));
            dialect(label, counted, FRAMED, settings.warmup(), items);
            dialect(label, counted, FRAMED_BARE, settings.warmup(), items);
            DialectRun.Result mqtt = dialect(label, counted, MQTT, settings.warmup(), items);
            dialect(label, counted, MQTT_BARE, settings.warmup(), items);
            enqueueBytes = mqtt.enqueueBytes() > 0 ? mqtt.enqueueBytes() : 131;
            answerBytes = mqtt.answerBytes() > 0 ? mqtt.answerBytes() : 51;
            baseline(label, counted, MqttEchoLoop.run(settings.warmup(), items, enqueueBytes, answerBytes));
            dialect(label, counted, ASCII_PACED, settings.pacedWarmup(), pacedItems);
            dialect(label, counted, FRAMED_PACED, settings.pacedWarmup(), pacedItems);
        }
    }

    private DialectRun.Result dialect(String round, boolean counted, Variant variant, int warmup, int items)
            throws InterruptedException {
        DialectRun.Result r = DialectRun.run(variant.name(), variant.dialect(), variant.cameraFeed(), variant.paced(),
                warmup, items, settings.queueDepth(), settings.seed(), settings.runLimit());
        String outcome = r.ok() ? "" : (r.failure() != null ? r.failure() : "invariants broken: " + r.violations());
        MarkingBench.log("round %s, %s: %s items/s, ENQ round trip p50 %s µs, CPU/item %s µs, machine busy %s%s",
                round, variant.name(), Text.whole(r.itemsPerSecond()), Text.whole(r.roundTripP50()),
                Text.whole(totalCpu(r)), Text.percent(r.machineBusy()), outcome.isEmpty() ? "" : " — " + outcome);
        if (!outcome.isEmpty()) {
            problems.add("round " + round + ", " + variant.name() + ": " + outcome);
        }
        if (counted) {
            results.computeIfAbsent(variant.name(), k -> new ArrayList<>()).add(r);
            runRows.add("| " + round + " | " + variant.name() + " | " + Text.whole(r.itemsPerSecond()) + " | "
                    + Text.whole(r.roundTripP50()) + " | " + Text.whole(r.latencyP50()) + " | "
                    + Text.whole(r.latencyP99()) + " | " + Text.whole(totalCpu(r)) + " | "
                    + Text.percent(r.machineBusy()) + " | " + (r.ok() ? "yes" : "**no**: " + outcome) + " |");
        }
        return r;
    }

    private void baseline(String round, boolean counted, BaselineRun b) {
        MarkingBench.log("round %s, %s (%d/%d bytes): %s exchanges/s, round trip p50 %s µs%s", round, b.variant(),
                b.requestBytes(), b.replyBytes(), Text.whole(b.exchangesPerSecond()), Text.whole(b.roundTripP50()),
                b.failure() == null ? "" : " — " + b.failure());
        if (b.failure() != null) {
            problems.add("round " + round + ", " + b.variant() + ": " + b.failure());
        }
        if (counted) {
            baselines.computeIfAbsent(b.variant(), k -> new ArrayList<>()).add(b);
            runRows.add("| " + round + " | " + b.variant() + " (" + b.requestBytes() + " B / " + b.replyBytes()
                    + " B) | " + Text.whole(b.exchangesPerSecond()) + " | " + Text.whole(b.roundTripP50()) + " | | | "
                    + Text.whole(b.cpuPerExchange() + b.peerCpuPerExchange()) + " | " + Text.percent(b.machineBusy())
                    + " | " + (b.failure() == null ? "yes" : "**no**: " + b.failure()) + " |");
        }
    }

    static double totalCpu(DialectRun.Result r) {
        double sum = r.cpuPerItem().values().stream().mapToDouble(Double::doubleValue).sum();
        if (!Double.isNaN(r.socatCpuPerItem())) {
            sum += r.socatCpuPerItem();
        }
        if (!Double.isNaN(r.brokerCpuPerItem())) {
            sum += r.brokerCpuPerItem();
        }
        return r.cpuPerItem().isEmpty() ? Double.NaN : sum;
    }

    private List<Double> values(String variant, ToDoubleFunction<DialectRun.Result> metric) {
        return results.getOrDefault(variant, List.of()).stream().filter(DialectRun.Result::ok)
                .map(r -> metric.applyAsDouble(r)).toList();
    }

    private List<Double> baselineValues(String loop, ToDoubleFunction<BaselineRun> metric) {
        return baselines.getOrDefault(loop, List.of()).stream().filter(b -> b.failure() == null)
                .map(b -> metric.applyAsDouble(b)).toList();
    }

    /** Per-round ratio of a variant's items/s to its round's baseline exchanges/s. */
    private List<Double> ratiosTo(String variant, String loop) {
        List<DialectRun.Result> runs = results.getOrDefault(variant, List.of());
        List<BaselineRun> loops = baselines.getOrDefault(loop, List.of());
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(runs.size(), loops.size()); i++) {
            if (runs.get(i).ok() && loops.get(i).failure() == null) {
                ratios.add(runs.get(i).itemsPerSecond() / loops.get(i).exchangesPerSecond());
            }
        }
        return ratios;
    }

    /** Items/s at 115200 baud if the busier direction were never idle. */
    static double lineCeiling(DialectRun.Result r) {
        return LINE_BYTES_PER_SECOND / Math.max(r.bytesOutPerItem(), r.bytesInPerItem());
    }

    /**
     * Items/s at 115200 baud for a protocol that sends the next command only after the answer to
     * the last: the bytes of the command and of everything on the answer's critical path, in turn.
     * ascii: ENQ line, then its answer line. framed: ENQ frame, the marker's ACK, the reply frame,
     * the driver's ACK (the marker sends its next frame only after that ACK).
     */
    static double stopAndWaitBound(DialectRun.Result r) {
        return LINE_BYTES_PER_SECOND / chainBytes(r);
    }

    private static double chainBytes(DialectRun.Result r) {
        double chain = r.enqueueBytes() + r.answerBytes();
        if (r.dialect().equals("framed")) {
            chain += 2 * FRAMED_CONTROL_BYTES;
        }
        return chain;
    }

    /**
     * The same bound, but with the completions that, in this run, reached the driver between an
     * ENQ and its answer: at zero mark time the marker etches as soon as the order is queued, so
     * its completion races the answer and, when it goes first, the answer waits behind it on the
     * line (framed: behind the completion frame and the driver's ACK of it, since the marker sends
     * its next frame only once the last one is acknowledged).
     */
    static double stopAndWaitWithCompletions(DialectRun.Result r) {
        double completion = r.completionBytes() + (r.dialect().equals("framed") ? FRAMED_CONTROL_BYTES : 0);
        return LINE_BYTES_PER_SECOND / (chainBytes(r) + r.completionFirstShare() * completion);
    }

    void write(Path out, String verdictsOut) throws IOException {
        StringBuilder md = new StringBuilder();
        String pacedNote = settings.pacedItems() == settings.items() ? ""
                : " (" + settings.pacedItems() + " on the paced line, after " + settings.pacedWarmup() + ")";
        md.append("## 1. One station, zero mark time: each dialect against its link\n\n");
        md.append("Each run starts a simulated station (`LineSettings.unlimited`: zero mark time, an item always"
                + " under the head, a 64-order queue), connects the real `MarkingPipeline` to it through the"
                + " dialect's real transport (`SerialTransport` on a socat pseudo-terminal pair at 115200 8N1, or"
                + " `MqttTransport` through Mosquitto at " + brokerUrl() + "), with `MarkerTimeouts.defaults()`, queue"
                + " depth " + settings.queueDepth() + ", no camera (codes stop at MARKED and the item is"
                + " released at once) and no gate, and runs until " + settings.warmup() + " warm-up codes plus "
                + settings.items() + " measured codes" + pacedNote + " are settled, plus a tail that keeps the"
                + " link busy while the closing sample is taken. Every round runs every variant once, in the"
                + " order of the tables, with the baselines right after the dialects they belong to; the first"
                + " round (fewer items) warms the JIT up and is not counted. " + settings.runs()
                + " rounds were counted; figures are medians with the range in brackets.\n\n");
        md.append("Station kinds:\n\n");
        md.append("- **as shipped**: `SimulatedStation.start(dialect, LineSettings.unlimited(seed))`. It"
                + " photographs every etch for its camera (renders, blurs and noises a QR code) on the virtual"
                + " marker's thread before the completion goes out, even though this pipeline has no camera.\n");
        md.append("- **no camera feed**: the same `VirtualMarker`, front end and link, assembled without that"
                + " photo, so the figure is the driver's and the link's, not the renderer's.\n\n");
        md.append("What is measured (all times from `System.nanoTime()` in the one JVM that runs driver and"
                + " simulator):\n\n");
        md.append("- **items/s**: measured codes divided by the time from the settling of the last warm-up code"
                + " to the settling of the last measured one. A code is settled when the pipeline persists it"
                + " as MARKED (`MarkingRegistry.marked`), right before it releases the item.\n");
        md.append("- **ENQ→settled**: per code, from the dialect writing its ENQ (the enqueue command) to the"
                + " transport, to the pipeline persisting it MARKED. With " + settings.queueDepth() + " codes"
                + " kept in flight this is about that many codes' worth of time (Little's law); it is the"
                + " latency a code sees end to end.\n");
        md.append("- **ENQ round trip**: from writing an ENQ to reading its final answer (`>TT OK`, the reply"
                + " frame, or the `reply` message): the dialect and link cost of one code, paid in turn, since"
                + " every dialect has one command outstanding at a time.\n");
        md.append("- **completion→settled**: from the transport delivering the marker's completion (`!MC`, its"
                + " frame, or the `mark` event) to the pipeline persisting MARKED: the time a completion waits"
                + " in the pipeline's inbox while the one driver thread is busy sending.\n");
        md.append("- **CPU per item**: thread CPU time over the measured codes, by part (names in the CPU table),"
                + " plus socat's and Mosquitto's process CPU (every Mosquitto process on the machine: the"
                + " run's broker, and any other, with its clients' work); less disturbed by the shared machine than the"
                + " rates. *Machine busy* is the share of both cores that anything on the machine used during"
                + " the measured window.\n");
        md.append("- The interval between consecutive settlements is not used: the pipeline drains its inbox in"
                + " one go, so codes settle in bursts, its median is a few microseconds, and its mean is just"
                + " the inverse of items/s.\n");
        md.append("- Bytes are counted by a transport decorator under the dialect: exactly what it wrote and"
                + " what it was handed (payload bytes for MQTT, without MQTT or TCP headers).\n\n");

        md.append("### Throughput and per-item overhead\n\n");
        md.append("| variant | station | items/s | ENQ→settled p50 / p99 µs | ENQ round trip p50 / p99 µs |"
                + " completion→settled p50 / p99 µs | link limit (same round) | items/s ÷ limit |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        row(md, ASCII, PTY_LOOP);
        row(md, ASCII_BARE, PTY_LOOP);
        row(md, FRAMED, PTY_LOOP);
        row(md, FRAMED_BARE, PTY_LOOP);
        row(md, MQTT, PAHO_LOOP);
        row(md, MQTT_BARE, PAHO_LOOP);
        pacedRow(md, ASCII_PACED);
        pacedRow(md, FRAMED_PACED);
        md.append("\nThe link limits, measured in the same rounds:\n\n");
        md.append("| link limit | request / reply bytes | exchanges/s | round trip p50 / p99 µs | CPU per exchange"
                + " µs (this JVM + socat or broker) |\n| --- | --- | --- | --- | --- |\n");
        for (String loop : List.of(PTY_LOOP, PAHO_LOOP)) {
            List<BaselineRun> runs = baselines.getOrDefault(loop, List.of());
            String sizes = runs.isEmpty() ? "" : runs.get(0).requestBytes() + " / " + runs.get(0).replyBytes();
            md.append("| ").append(loop).append(" | ").append(sizes).append(" | ")
                    .append(Text.spread(baselineValues(loop, BaselineRun::exchangesPerSecond), 0)).append(" | ")
                    .append(Text.whole(Stats.median(baselineValues(loop, BaselineRun::roundTripP50)))).append(" / ")
                    .append(Text.whole(Stats.median(baselineValues(loop, BaselineRun::roundTripP99)))).append(" | ")
                    .append(Text.whole(Stats.median(baselineValues(loop, BaselineRun::cpuPerExchange)))).append(" + ")
                    .append(Text.whole(Stats.median(baselineValues(loop, BaselineRun::peerCpuPerExchange))))
                    .append(" |\n");
        }
        md.append("\n- **").append(PTY_LOOP).append("**: jSerialComm on both ends of a socat pair, as the"
                + " driver's transport and the simulated marker's port open it; one side writes a CR-terminated"
                + " request of the ascii ENQ's size and reads until the CR of a reply of its answer's size,"
                + " the other answers each request. One ascii code needs one such exchange; one framed code"
                + " two (ENQ frame and ACK, reply frame and ACK) plus the completion frame and its ACK.\n");
        md.append("- **").append(PAHO_LOOP).append("**: two Paho clients through the same Mosquitto with the"
                + " driver's and the marker's session settings and socket options (Nagle off): publish a request"
                + " of the enqueue command's size at QoS 1, wait for the PUBACK and then for the other client's"
                + " QoS 1 reply of the reply's size. One mqtt code costs more than that exchange: the messages"
                + " per code are in the byte table below.\n");
        md.append("- The pseudo-terminal does not run at 115200 baud, whatever the port is set to. The"
                + " **paced** variants put a decorator under the dialect that delivers every byte, in each"
                + " direction, no sooner than an 8N1 line at 115200 baud could have carried it (10 bits per byte,"
                + " 86.8 µs), behind the bytes before it; writes return at once, as into the serial driver's"
                + " buffer. Both directions are timed at the driver's end, because the simulated marker's writes"
                + " cannot be slowed without changing the simulator; the driver cannot tell the difference. Their"
                + " limit is computed from the bytes the same run put on the line. The pacer hands each message"
                + " on from a thread of its own, one more wake-up per direction than a real UART costs; on a"
                + " machine whose cores are busy each wake-up waits for a core, so the paced rates are a lower"
                + " bound for the driver, and they move with *machine busy* (every counted run is listed"
                + " below).\n\n");

        md.append("### Bytes per code and the 115200-baud ceiling\n\n");
        md.append("| variant | bytes driver→marker per code | bytes marker→driver per code | ENQ / answer /"
                + " completion bytes | messages per code | ceiling at 115200 8N1 | stop-and-wait bound |"
                + " completion before the answer | bound with those completions |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Variant v : List.of(ASCII_BARE, ASCII_PACED, FRAMED_BARE, FRAMED_PACED, MQTT_BARE)) {
            List<DialectRun.Result> runs = results.getOrDefault(v.name(), List.of()).stream()
                    .filter(DialectRun.Result::ok).toList();
            if (runs.isEmpty()) {
                md.append("| ").append(v.name()).append(" | n/a | n/a | n/a | n/a | n/a | n/a | n/a | n/a |\n");
                continue;
            }
            DialectRun.Result any = runs.get(0);
            boolean serial = !v.dialect().equals("mqtt");
            md.append("| ").append(v.name()).append(" | ")
                    .append(Text.num(Stats.median(values(v.name(), DialectRun.Result::bytesOutPerItem)), 1)).append(" | ")
                    .append(Text.num(Stats.median(values(v.name(), DialectRun.Result::bytesInPerItem)), 1)).append(" | ")
                    .append(any.enqueueBytes()).append(" / ").append(any.answerBytes()).append(" / ")
                    .append(any.completionBytes()).append(" | ")
                    .append(serial ? (v.dialect().equals("ascii") ? "ENQ, answer, `!MC`"
                            : "ENQ, reply, completion frames and an ACK for each") : messages(any))
                    .append(" | ")
                    .append(serial ? Text.whole(Stats.median(values(v.name(), DialectsBench::lineCeiling))) + " items/s"
                            : "n/a").append(" | ")
                    .append(serial ? Text.whole(Stats.median(values(v.name(), DialectsBench::stopAndWaitBound)))
                            + " items/s" : "n/a").append(" | ")
                    .append(Text.percent(Stats.median(values(v.name(), DialectRun.Result::completionFirstShare))))
                    .append(" | ")
                    .append(serial ? Text.whole(Stats.median(values(v.name(),
                            DialectsBench::stopAndWaitWithCompletions))) + " items/s" : "n/a").append(" |\n");
        }
        md.append("\n- **ceiling at 115200 8N1**: 11,520 bytes/s in each direction (RS-232 is full duplex),"
                + " divided by the bytes per code of the busier direction: no protocol can do better on that"
                + " line.\n");
        md.append("- **stop-and-wait bound**: what a driver that sends its next command only once the answer to"
                + " the last one is in (as both serial dialects specify) can reach on that line: 11,520 bytes/s"
                + " divided by the bytes on one command's critical path (ascii: ENQ line and answer line;"
                + " framed: ENQ frame, the marker's ACK, the reply frame and the driver's ACK, "
                + FRAMED_CONTROL_BYTES + " bytes per ACK). Completions travel meanwhile in the other direction,"
                + " except when one is queued on the line ahead of the answer it races.\n");
        md.append("- **completion before the answer**: share of ENQs whose answer reached the driver after a"
                + " completion that arrived once the marker had the whole ENQ (on the paced line: more than the"
                + " ENQ's wire time after it was written; one arriving earlier crossed while the ENQ did, and"
                + " delayed nothing). At zero mark time the marker etches an order as soon as it is queued, so the"
                + " completion is ready together with the answer. **bound with those completions** adds, for"
                + " that share, the completion's bytes (framed: and the driver's ACK of it, as the marker sends"
                + " its next frame only once the last is acknowledged) to the critical path. With a real mark"
                + " time of a few milliseconds the completion would come later and overlap the next ENQ.\n\n");

        md.append("### CPU per code, by part (µs, medians)\n\n");
        md.append("| variant |");
        for (CpuSample.Part part : CpuSample.Part.values()) {
            md.append(' ').append(part.name().toLowerCase().replace('_', ' ')).append(" |");
        }
        md.append(" socat | broker | total | JVM cores used | machine busy |\n|");
        md.append(" --- |".repeat(CpuSample.Part.values().length + 6)).append('\n');
        for (String name : results.keySet()) {
            md.append("| ").append(name).append(" |");
            for (CpuSample.Part part : CpuSample.Part.values()) {
                md.append(' ').append(Text.whole(Stats.median(values(name,
                        r -> r.cpuPerItem().getOrDefault(part, Double.NaN))))).append(" |");
            }
            md.append(' ').append(Text.whole(Stats.median(values(name, DialectRun.Result::socatCpuPerItem))))
                    .append(" | ").append(Text.whole(Stats.median(values(name, DialectRun.Result::brokerCpuPerItem))))
                    .append(" | ").append(Text.whole(Stats.median(values(name, DialectsBench::totalCpu))))
                    .append(" | ").append(Text.num(Stats.median(values(name, DialectRun.Result::processCores)), 2))
                    .append(" | ").append(Text.percent(Stats.median(values(name, DialectRun.Result::machineBusy))))
                    .append(" |\n");
        }
        md.append("\nParts, by thread name: ");
        List<String> parts = new ArrayList<>();
        for (CpuSample.Part part : CpuSample.Part.values()) {
            parts.add("*" + part.name().toLowerCase().replace('_', ' ') + "*: " + part.label);
        }
        md.append(String.join("; ", parts)).append(". The JVM part is the process's CPU time less the"
                + " named threads'; the paced variants' pacer threads are the benchmark's.\n\n");

        md.append("### Every counted run\n\n");
        md.append("| round | variant | items/s (or exchanges/s) | ENQ round trip p50 µs | ENQ→settled p50 µs |"
                + " ENQ→settled p99 µs | CPU per code µs | machine busy | invariants held |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        runRows.forEach(r -> md.append(r).append('\n'));
        md.append("\nInvariants: `MarkingInvariants.violations` after each run (no code etched twice, registry"
                + " moves legal, every code settled, pipeline counts adding up).\n");
        if (!problems.isEmpty()) {
            md.append("\nProblems during the run:\n\n");
            problems.forEach(p -> md.append("- ").append(p).append('\n'));
        }
        Files.writeString(out, md.toString());
        Files.writeString(Path.of(verdictsOut), verdicts());
    }

    private String cpu(Variant variant, CpuSample.Part part) {
        return Text.whole(Stats.median(values(variant.name(), r -> r.cpuPerItem().getOrDefault(part, Double.NaN))));
    }

    private static String messages(DialectRun.Result r) {
        List<String> parts = new ArrayList<>();
        r.messagesPerItem().forEach((topic, count) -> parts.add(Text.num(count, 2) + " " + topic));
        return String.join(", ", parts);
    }

    private void row(StringBuilder md, Variant v, String loop) {
        String name = v.name();
        md.append("| ").append(v.dialect()).append(" | ").append(v.cameraFeed() ? "as shipped" : "no camera feed")
                .append(" | ").append(Text.spread(values(name, DialectRun.Result::itemsPerSecond), 0)).append(" | ")
                .append(pair(name, DialectRun.Result::latencyP50, DialectRun.Result::latencyP99)).append(" | ")
                .append(pair(name, DialectRun.Result::roundTripP50, DialectRun.Result::roundTripP99)).append(" | ")
                .append(pair(name, DialectRun.Result::eventToSettleP50, DialectRun.Result::eventToSettleP99))
                .append(" | ").append(loop).append(": ")
                .append(Text.whole(Stats.median(baselineValues(loop, BaselineRun::exchangesPerSecond))))
                .append(" exchanges/s | ").append(Text.spread(ratiosTo(name, loop), 3)).append(" |\n");
    }

    private void pacedRow(StringBuilder md, Variant v) {
        String name = v.name();
        List<Double> ratios = values(name, r -> r.itemsPerSecond() / lineCeiling(r));
        md.append("| ").append(v.dialect()).append(" at 115200 baud | no camera feed | ")
                .append(Text.spread(values(name, DialectRun.Result::itemsPerSecond), 0)).append(" | ")
                .append(pair(name, DialectRun.Result::latencyP50, DialectRun.Result::latencyP99)).append(" | ")
                .append(pair(name, DialectRun.Result::roundTripP50, DialectRun.Result::roundTripP99)).append(" | ")
                .append(pair(name, DialectRun.Result::eventToSettleP50, DialectRun.Result::eventToSettleP99))
                .append(" | 115200 8N1 ceiling: ")
                .append(Text.whole(Stats.median(values(name, DialectsBench::lineCeiling))))
                .append(" items/s | ").append(Text.spread(ratios, 3)).append(" |\n");
    }

    private String pair(String name, ToDoubleFunction<DialectRun.Result> p50, ToDoubleFunction<DialectRun.Result> p99) {
        return Text.whole(Stats.median(values(name, p50))) + " / " + Text.whole(Stats.median(values(name, p99)));
    }

    /** The reading against the aims, as sentences with the figures; also printed as the summary. */
    private String verdicts() {
        StringBuilder v = new StringBuilder();
        for (Variant paced : List.of(ASCII_PACED, FRAMED_PACED)) {
            double rate = Stats.median(values(paced.name(), DialectRun.Result::itemsPerSecond));
            double ceiling = Stats.median(values(paced.name(), DialectsBench::lineCeiling));
            double bound = Stats.median(values(paced.name(), DialectsBench::stopAndWaitBound));
            double ratio = Stats.median(values(paced.name(), r -> r.itemsPerSecond() / lineCeiling(r)));
            double ofBound = Stats.median(values(paced.name(), r -> r.itemsPerSecond() / stopAndWaitBound(r)));
            v.append("- Serial, ").append(paced.dialect()).append(" at 115200 baud: ").append(Text.whole(rate))
                    .append(" items/s, ").append(Text.ratio(ratio)).append(" of the line's ceiling of ")
                    .append(Text.whole(ceiling)).append(" items/s (median of per-run ratios), which ")
                    .append(Text.meets(ratio >= 0.9)).append(" the aim of 0.9. It is ").append(Text.ratio(ofBound))
                    .append(" of the ").append(Text.whole(bound)).append(" items/s that any stop-and-wait driver"
                            + " could reach with these bytes, and that bound is itself ")
                    .append(Text.ratio(bound / ceiling)).append(" of the ceiling. ")
                    .append(Text.percent(Stats.median(values(paced.name(), DialectRun.Result::completionFirstShare))))
                    .append(" of the answers were queued behind the code's completion (zero mark time); counting"
                            + " those bytes the bound is ")
                    .append(Text.whole(Stats.median(values(paced.name(), DialectsBench::stopAndWaitWithCompletions))))
                    .append(" items/s, of which the driver reached ")
                    .append(Text.ratio(Stats.median(values(paced.name(),
                            r -> r.itemsPerSecond() / stopAndWaitWithCompletions(r)))))
                    .append(".\n");
        }
        double mqtt = Stats.median(values(MQTT.name(), DialectRun.Result::itemsPerSecond));
        double mqttBare = Stats.median(values(MQTT_BARE.name(), DialectRun.Result::itemsPerSecond));
        double paho = Stats.median(baselineValues(PAHO_LOOP, BaselineRun::exchangesPerSecond));
        v.append("- MQTT, one station: ").append(Text.whole(mqtt)).append(" items/s on the station as shipped (")
                .append(Text.meets(mqtt > 1000)).append(" the aim of over 1,000) and ").append(Text.whole(mqttBare))
                .append(" items/s without its camera feed (").append(Text.meets(mqttBare > 1000))
                .append(" it); the bare Paho request/response loop did ").append(Text.whole(paho))
                .append(" exchanges/s, so the dialect reached ")
                .append(Text.ratio(Stats.median(ratiosTo(MQTT_BARE.name(), PAHO_LOOP))))
                .append(" of it without the camera feed (median of per-round ratios).\n");
        double marker = Stats.median(values(MQTT.name(), r -> r.cpuPerItem().getOrDefault(CpuSample.Part.MARKER,
                Double.NaN)));
        v.append("- Where the time goes, as shipped: the simulated marker's thread used ").append(Text.whole(marker))
                .append(" µs of CPU per code on MQTT (median; ")
                .append(Text.whole(Stats.median(values(ASCII.name(), r -> r.cpuPerItem()
                        .getOrDefault(CpuSample.Part.MARKER, Double.NaN))))).append(" on ascii, ")
                .append(Text.whole(Stats.median(values(FRAMED.name(), r -> r.cpuPerItem()
                        .getOrDefault(CpuSample.Part.MARKER, Double.NaN))))).append(" on framed) against ")
                .append(Text.whole(Stats.median(values(MQTT_BARE.name(), r -> r.cpuPerItem()
                        .getOrDefault(CpuSample.Part.MARKER, Double.NaN))))).append(" without the camera feed:"
                        + " the photo of every etch, rendered on that one thread before the completion is sent,"
                        + " caps a station at about ").append(Text.whole(1e6 / marker))
                .append(" codes/s whatever the dialect.\n");
        v.append("- Where the time goes on MQTT without the camera feed, CPU per code (medians): driver link (Paho"
                + " client and inbox thread) ").append(cpu(MQTT_BARE, CpuSample.Part.DRIVER_LINK))
                .append(" µs, pipeline thread ").append(cpu(MQTT_BARE, CpuSample.Part.PIPELINE))
                .append(" µs, simulated front end ").append(cpu(MQTT_BARE, CpuSample.Part.FRONT_END))
                .append(" µs, broker ").append(Text.whole(Stats.median(values(MQTT_BARE.name(),
                        DialectRun.Result::brokerCpuPerItem)))).append(" µs, JVM ")
                .append(cpu(MQTT_BARE, CpuSample.Part.JVM)).append(" µs; total ")
                .append(Text.whole(Stats.median(values(MQTT_BARE.name(), DialectsBench::totalCpu))))
                .append(" µs, against ").append(Text.whole(Stats.median(baselineValues(PAHO_LOOP,
                        b -> b.cpuPerExchange() + b.peerCpuPerExchange())))).append(" µs for one bare Paho exchange."
                        + " Each code is 5 QoS 1 publishes through the broker (the command; its reply, the mark"
                        + " event and two retained state messages, all of which the driver subscribes to) where"
                        + " the bare loop has 2.\n");
        return v.toString();
    }

    /** The broker the stations use: run.sh names it in TRACEMARK_TEST_MQTT, its own unless told another. */
    private static String brokerUrl() {
        String url = System.getenv("TRACEMARK_TEST_MQTT");
        return url == null ? "tcp://127.0.0.1:1883" : url;
    }
}
