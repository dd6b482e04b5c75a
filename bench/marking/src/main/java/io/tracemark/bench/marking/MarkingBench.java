package io.tracemark.bench.marking;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The marking benchmark's entry point; bench/marking/run.sh calls its two parts in turn and puts
 * their results together with the machine and the command that produced them.
 */
@Command(name = "marking-bench", mixinStandardHelpOptions = true,
        description = "The marking pipeline through each dialect, and many stations at line speed, against simulated"
                + " markers on real links.",
        subcommands = {MarkingBench.Dialects.class, MarkingBench.Stations.class, MarkingBench.PanasonicLp.class})
public final class MarkingBench implements Runnable {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    public static void main(String[] args) {
        Runtime.getRuntime().addShutdownHook(new Thread(BenchStation::closeAll, "bench-shutdown"));
        System.exit(new CommandLine(new MarkingBench()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Progress on stderr, so that stdout carries only the summary. */
    static void log(String format, Object... args) {
        System.err.println("[" + LocalTime.now().format(CLOCK) + "] " + String.format(Locale.ROOT, format, args));
    }

    @Command(name = "panasonic-lp", mixinStandardHelpOptions = true,
            description = "A Panasonic LP marker, one code at a time, an item always waiting: the driver's overhead per"
                    + " item on the marker's own cycle, at 115200 baud and over TCP.")
    static final class PanasonicLp implements Callable<Integer> {
        @Option(names = "--runs", defaultValue = "5", description = "Counted rounds, after one warm-up round (${DEFAULT-VALUE}).")
        int runs;
        @Option(names = "--items", defaultValue = "100", description = "Measured codes per run (${DEFAULT-VALUE}).")
        int items;
        @Option(names = "--warmup", defaultValue = "20", description = "Codes settled before measuring (${DEFAULT-VALUE}).")
        int warmup;
        @Option(names = "--mark-times", defaultValue = "20,100", split = ",",
                description = "Mark times in ms: the simulator's default, and a larger 2D code (${DEFAULT-VALUE}).")
        List<Integer> markTimes;
        @Option(names = "--seed", defaultValue = "42", description = "Seeds the simulated marker (${DEFAULT-VALUE}).")
        long seed;
        @Option(names = "--run-limit", defaultValue = "120", description = "Seconds one run may take (${DEFAULT-VALUE}).")
        int runLimit;
        @Option(names = "--out", required = true, description = "Markdown section to write.")
        Path out;
        @Option(names = "--verdicts", required = true, description = "Where to write the reading against the aims.")
        Path verdicts;

        @Override
        public Integer call() throws Exception {
            if (runs < 1 || items < 10 || warmup < 1 || markTimes.stream().anyMatch(t -> t < 1)) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--runs and --warmup must be at least 1, --items at least 10, mark times at least 1 ms");
            }
            PanasonicLpBench bench = new PanasonicLpBench(new PanasonicLpBench.Settings(runs, items, warmup,
                    markTimes.stream().map(Duration::ofMillis).toList(), seed, Duration.ofSeconds(runLimit)));
            bench.run();
            bench.write(out, verdicts);
            return 0;
        }
    }

    @Command(name = "dialects", mixinStandardHelpOptions = true,
            description = "One station per run, zero mark time, no camera: items/s and per-item overhead through"
                    + " each dialect, against the link's limit measured or computed in the same round.")
    static final class Dialects implements Callable<Integer> {
        @Option(names = "--runs", defaultValue = "5", description = "Counted rounds, after one warm-up round (${DEFAULT-VALUE}).")
        int runs;
        @Option(names = "--items", defaultValue = "2000", description = "Measured codes per run (${DEFAULT-VALUE}).")
        int items;
        @Option(names = "--warmup", defaultValue = "300", description = "Codes settled before measuring (${DEFAULT-VALUE}).")
        int warmup;
        @Option(names = "--paced-items", defaultValue = "500",
                description = "Measured codes per run on the 115200-baud line, at about 100 items/s (${DEFAULT-VALUE}).")
        int pacedItems;
        @Option(names = "--paced-warmup", defaultValue = "100", description = "Warm-up codes on that line (${DEFAULT-VALUE}).")
        int pacedWarmup;
        @Option(names = "--queue-depth", defaultValue = "8", description = "Codes the pipeline keeps queued (${DEFAULT-VALUE}).")
        int queueDepth;
        @Option(names = "--seed", defaultValue = "42", description = "Seeds the simulated line (${DEFAULT-VALUE}).")
        long seed;
        @Option(names = "--run-limit", defaultValue = "120", description = "Seconds one run may take before it counts as failed (${DEFAULT-VALUE}).")
        int runLimit;
        @Option(names = "--out", required = true, description = "Markdown section to write.")
        Path out;
        @Option(names = "--verdicts", required = true, description = "Where to write the reading against the aims.")
        Path verdicts;

        @Override
        public Integer call() throws Exception {
            if (runs < 1 || items < 10 || pacedItems < 10 || warmup < 1 || pacedWarmup < 1 || queueDepth < 1) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--runs must be at least 1, --items and --paced-items at least 10, the rest at least 1");
            }
            DialectsBench bench = new DialectsBench(new DialectsBench.Settings(runs, items, warmup, pacedItems,
                    pacedWarmup, queueDepth, seed, Duration.ofSeconds(runLimit)));
            bench.run();
            bench.write(out, verdicts.toString());
            return 0;
        }
    }

    @Command(name = "stations", mixinStandardHelpOptions = true,
            description = "Many stations at line speed in one process, each with its own pipeline, for a fixed"
                    + " window after a warm-up.")
    static final class Stations implements Callable<Integer> {
        @Option(names = "--stations", defaultValue = "20", description = "Stations per scenario (${DEFAULT-VALUE}).")
        int stations;
        @Option(names = "--speed", defaultValue = "20", description = "Items per second on each line (${DEFAULT-VALUE}).")
        double speed;
        @Option(names = "--queue-depth", defaultValue = "8", description = "Codes each pipeline keeps queued (${DEFAULT-VALUE}).")
        int queueDepth;
        @Option(names = "--warmup-seconds", defaultValue = "10", description = "Seconds before the window (${DEFAULT-VALUE}).")
        int warmupSeconds;
        @Option(names = "--seconds", defaultValue = "30", description = "Length of the measured window (${DEFAULT-VALUE}).")
        int seconds;
        @Option(names = "--seed", defaultValue = "7", description = "Seeds the simulated lines (${DEFAULT-VALUE}).")
        long seed;
        @Option(names = "--scenarios", split = ",",
                defaultValue = "mqtt-verified,mixed-verified,mqtt-no-camera,mixed-no-camera",
                description = "Which scenarios, in order (${DEFAULT-VALUE}).")
        List<String> scenarios;
        @Option(names = "--out", required = true, description = "Markdown section to write.")
        Path out;
        @Option(names = "--verdicts", required = true, description = "Where to write the reading against the aims.")
        Path verdicts;

        @Override
        public Integer call() throws Exception {
            if (stations < 1 || speed <= 0 || queueDepth < 1 || warmupSeconds < 0 || seconds < 1) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--stations, --queue-depth and --seconds must be at least 1, --speed positive");
            }
            List<StationsBench.Scenario> chosen = new ArrayList<>();
            for (String key : scenarios) {
                chosen.add(StationsBench.ALL.stream().filter(s -> s.key().equals(key.trim())).findFirst()
                        .orElseThrow(() -> new CommandLine.ParameterException(new CommandLine(this),
                                "unknown scenario '" + key + "'; known: "
                                        + StationsBench.ALL.stream().map(StationsBench.Scenario::key).toList())));
            }
            StationsBench bench = new StationsBench(new StationsBench.Settings(stations, speed, queueDepth,
                    Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(seconds), seed, chosen));
            bench.run();
            bench.write(out, verdicts.toString());
            return 0;
        }
    }
}
