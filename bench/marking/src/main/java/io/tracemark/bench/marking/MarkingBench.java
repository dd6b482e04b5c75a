package io.tracemark.bench.marking;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
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
        subcommands = MarkingBench.Dialects.class)
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
}
