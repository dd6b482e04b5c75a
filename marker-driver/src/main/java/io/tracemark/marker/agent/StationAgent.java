package io.tracemark.marker.agent;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.logging.Logger;

import io.tracemark.marker.Dialects;
import io.tracemark.marker.MarkerTimeouts;
import io.tracemark.marker.pipeline.MarkerLink;
import io.tracemark.marker.pipeline.MarkingPipeline;
import io.tracemark.marker.pipeline.PipelineSettings;
import io.tracemark.marker.pipeline.PipelineStatus;
import io.tracemark.marker.pipeline.StationState;
import io.tracemark.marker.transport.ByteLinks;
import io.tracemark.marker.verify.Camera;
import io.tracemark.marker.verify.Grade;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The marking pipeline as a program for a line PC: drives the serial marker next to it, keeps
 * every step in a local journal and reports to trace-service with the station's key, delivering
 * what it recorded while the service was unreachable once it is back.
 *
 * <p>Exit codes: 0 the run finished and every step was delivered; 1 the run failed, or could not
 * start (the reason is printed); 2 the run finished but steps are still waiting in the journal for
 * the service (start again to deliver them); 64 bad arguments.
 *
 * <p>Stopped by a signal (SIGTERM, the line PC shutting down), the agent leaves its run as a crash
 * would: the marker keeps its queue, the codes in flight and those held for the run stay in the
 * journal, the run stays open in the service; it delivers the steps it recorded and exits. Started
 * again, it reconciles with the marker and goes on. Only the operator stops a run.
 */
@Command(name = "tracemark-station", mixinStandardHelpOptions = true, versionProvider = StationAgent.Version.class,
        description = "Drives a laser marker for one Tracemark marking run and reports every mark to trace-service.",
        sortOptions = false, showDefaultValues = true, exitCodeOnInvalidInput = 64, exitCodeOnExecutionException = 1)
public final class StationAgent implements Callable<Integer> {

    private static final Logger LOG = Logger.getLogger(StationAgent.class.getName());

    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile MarkingPipeline pipeline;

    @Option(names = "--service", required = true, description = "trace-service base URL, e.g. http://tracemark:8080")
    URI service;

    @Option(names = "--key", required = true, defaultValue = "${env:TRACEMARK_STATION_KEY}",
            description = "the line's station key (default: $TRACEMARK_STATION_KEY)")
    String key;

    @Option(names = "--run", required = true, description = "id of the marking run, started by an operator")
    long runId;

    @Option(names = "--port", required = true,
            description = "serial port of the marker, e.g. /dev/ttyUSB0, or its Ethernet port, e.g. tcp://192.168.0.10:9094")
    String port;

    @Option(names = "--serial", defaultValue = "115200,8N1", description = "baud, framing and flow control")
    String serial;

    @Option(names = "--dialect", defaultValue = "ascii",
            description = "the marker's dialect: ascii, framed or panasonic-lp[:options], e.g. panasonic-lp:checksum,crlf")
    String dialect;

    @Option(names = "--job", defaultValue = "BOTTLE", description = "the marker job the codes go into")
    String job;

    @Option(names = "--queue-depth", defaultValue = "8", description = "codes kept queued in the marker")
    int queueDepth;

    @Option(names = "--camera-dir", description = "folder where the camera saves <mark id>.png; none: no verification")
    Path cameraDir;

    @Option(names = "--camera-timeout", defaultValue = "PT0.5S", description = "wait for an image (ISO-8601 duration)")
    Duration cameraTimeout;

    @Option(names = "--min-grade", defaultValue = "C", description = "lowest verification grade an item leaves with")
    Grade minimumGrade;

    @Option(names = "--journal", defaultValue = "journal", description = "folder of the durable local journal")
    Path journalDir;

    @Option(names = "--drain-timeout", defaultValue = "PT30S",
            description = "after the run, how long to keep trying to deliver the journal")
    Duration drainTimeout;

    public static void main(String[] args) {
        System.exit(new CommandLine(new StationAgent()).setExecutionExceptionHandler((error, command, parsed) -> {
            // An operator reads this on the line PC: the reason, not a stack trace.
            command.getErr().println("tracemark-station: " + error.getMessage());
            return command.getCommandSpec().exitCodeOnExecutionException();
        }).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Optional<Camera> camera = Optional.ofNullable(cameraDir).map(DirectoryCamera::new);
        MarkerLink link = new MarkerLink(Dialects.byName(dialect), ByteLinks.of(port, serial), MarkerTimeouts.defaults());
        ServiceClient client = new ServiceClient(service, key, Duration.ofSeconds(3), Duration.ofSeconds(10));
        try (Journal journal = Journal.open(journalDir, runId)) {
            long target = target(client, journal);
            long alreadyGood = journal.count(camera.isPresent() ? "VERIFIED" : "MARKED");
            long remaining = Math.max(0, target - alreadyGood);
            ServiceSync sync = new ServiceSync(client, journal, runId, ServiceSync.Settings.defaults(),
                    () -> demand(remaining));
            LOG.info("Run " + runId + ": " + alreadyGood + " of " + target + " items already marked; marker " + link.describe());
            sync.round();
            PipelineStatus last = alreadyGood < target || !journal.unsettled().isEmpty()
                    ? mark(link, journal, camera, sync, alreadyGood, Math.max(1, target - alreadyGood))
                    : new PipelineStatus(StationState.FINISHED, 0, 0, 0, 0, 0, 0, 0, List.of(), Instant.now());
            sync.close();
            if (last.state() == StationState.HALTED) {
                LOG.info("Run " + runId + " halted by a signal; " + journal.unsettled().size()
                        + " codes in flight are left for the next start to reconcile");
                return drain(sync::flush, journal) ? 0 : 2;
            }
            int unused = journal.voidUnused("claimed by the station but not needed by the run");
            LOG.info("Run " + runId + " ended " + last.state() + "; " + unused + " unused codes voided");
            boolean delivered = drain(() -> sync.flush() && sync.reportFinal(last), journal);
            return delivered ? (last.state() == StationState.FINISHED ? 0 : 1) : 2;
        } finally {
            ended.countDown();
        }
    }

    private PipelineStatus mark(MarkerLink link, Journal journal, Optional<Camera> camera, ServiceSync sync,
            long releasedBefore, long target) throws InterruptedException {
        PipelineSettings settings = new PipelineSettings(job, queueDepth, target, minimumGrade, cameraTimeout);
        try (MarkingPipeline pipeline = new MarkingPipeline(link, journal, camera, Optional.empty(), settings)) {
            this.pipeline = pipeline;
            // On SIGTERM the pipeline lets go of the marker between two steps, leaving the run to be
            // resumed; the JVM waits until the steps recorded so far are delivered.
            Thread haltOnSignal = new Thread(() -> {
                pipeline.halt();
                awaitQuietly(ended, drainTimeout.plusSeconds(30));
            }, "station-halt");
            Runtime.getRuntime().addShutdownHook(haltOnSignal);
            pipeline.onStatus(StationAgent::log);
            sync.start(pipeline, releasedBefore);
            pipeline.start();
            pipeline.awaitFinished(Duration.ofDays(365));
            removeHook(haltOnSignal);
            return pipeline.status();
        }
    }

    /**
     * Codes the run may still need beyond those sent: the good items still missing, less the codes
     * in flight, plus a margin for marks that fail. Claims stop there, so a run ends holding few
     * unused codes (which it must void), while it holds enough to ride out an outage of the service.
     */
    private long demand(long remaining) {
        MarkingPipeline running = pipeline;
        long released = running == null ? 0 : running.status().released();
        long inFlight = running == null ? 0 : running.status().inFlight();
        return remaining - released - inFlight + 2L * queueDepth;
    }

    /** The run's target, from the service, or from the journal when the service cannot be reached. */
    private long target(ServiceClient client, Journal journal) throws IOException {
        try {
            long target = client.run(runId).target();
            journal.target(runId, target);
            return target;
        } catch (ServiceClient.Refused e) {
            throw e;
        } catch (IOException e) {
            return journal.target(runId).orElseThrow(() -> new IOException(
                    "trace-service is unreachable and this journal has never seen run " + runId + ": " + e.getMessage()));
        }
    }

    private boolean drain(java.util.function.BooleanSupplier deliver, Journal journal) throws InterruptedException {
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (!deliver.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                LOG.warning(journal.undeliveredCount() + " steps are still waiting for trace-service in " + journalDir);
                return false;
            }
            Thread.sleep(500);
        }
        return true;
    }

    private static void awaitQuietly(CountDownLatch latch, Duration timeout) {
        try {
            latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void log(PipelineStatus status) {
        LOG.info(String.format("%s sent=%d marked=%d verified=%d voided=%d released=%d queue=%d %.1f items/s",
                status.state(), status.sent(), status.marked(), status.verified(), status.voided(), status.released(),
                status.markerQueue(), status.itemsPerSecond()));
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already stopping: the hook is running.
        }
    }

    /** The version from the driver's build properties. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties build = new Properties();
            try (InputStream in = StationAgent.class.getResourceAsStream("/META-INF/tracemark/marker-driver.properties")) {
                if (in != null) {
                    build.load(in);
                }
            }
            return new String[] { build.getProperty("name", "Tracemark marker driver") + " "
                    + build.getProperty("version", "unknown") };
        }
    }
}
