package io.tracemark.trace.demo;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.tracemark.marker.transport.MqttSettings;
import io.tracemark.trace.batch.Batch;
import io.tracemark.trace.batch.BatchResource;
import io.tracemark.trace.code.Code;
import io.tracemark.trace.code.CodeRegistry;
import io.tracemark.trace.code.CodeState;
import io.tracemark.trace.marking.EmbeddedBroker;
import io.tracemark.trace.marking.LineMarker;
import io.tracemark.trace.marking.LineMarkerResource;
import io.tracemark.trace.marking.MarkingRun;
import io.tracemark.trace.marking.MarkingRunService;
import io.tracemark.trace.marking.MarkingRunService.RunView;
import io.tracemark.trace.marking.RunDriver;
import io.tracemark.trace.marking.RunState;
import io.tracemark.trace.marking.StationPeripherals;
import io.tracemark.trace.movement.Commissioner;

/**
 * The whole story of a demo batch: master data, a marking run on the simulated line through the
 * real driver, commissioning, and the road to the shops. A batch whose items were all commissioned
 * at an earlier start is told again instead (its movements replay), so that starting demo mode
 * twice on one data folder costs seconds and adds nothing; a batch an earlier start left unfinished
 * is left as it is and a new one is made.
 */
@ApplicationScoped
public class DemoStory {

    static final String LOT_PREFIX = "DEMO-";
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration SLACK = Duration.ofSeconds(60);

    private final DemoConfig config;
    private final DemoWorld world;
    private final DemoJourney journey;
    private final DemoSession session;
    private final BatchResource batches;
    private final MarkingRunService runs;
    private final Commissioner commissioner;
    private final CodeRegistry registry;
    private final EmbeddedBroker broker;
    private final StationPeripherals peripherals;

    public DemoStory(DemoConfig config, DemoWorld world, DemoJourney journey, DemoSession session,
            BatchResource batches, MarkingRunService runs, Commissioner commissioner, CodeRegistry registry,
            EmbeddedBroker broker, StationPeripherals peripherals) {
        this.config = config;
        this.world = world;
        this.journey = journey;
        this.session = session;
        this.batches = batches;
        this.runs = runs;
        this.commissioner = commissioner;
        this.registry = registry;
        this.broker = broker;
        this.peripherals = peripherals;
    }

    /** A batch as the story needs it, read inside a transaction. */
    private record DemoBatch(long id, String lot, String gtin, String product) {
        static DemoBatch of(Batch batch) {
            return new DemoBatch(batch.id, batch.lot, batch.product.gtin, batch.product.name);
        }
    }

    DemoReport tell() {
        DemoWorld.Ids ids = world.ensure();
        Optional<DemoBatch> earlier = QuarkusTransaction.requiringNew().call(() -> finishedBatch(ids.productId()));
        DemoBatch batch = earlier.orElseGet(() -> newBatch(ids));
        if (earlier.isEmpty()) {
            mark(ids.lineId(), batch.id());
            commission(batch.id());
        }
        List<String> items = commissionedItems(batch);
        DemoJourney.Outcome road = journey.travel(batch.id(), batch.lot(), items);
        Map<String, Long> voids = QuarkusTransaction.requiringNew().call(() -> Code.voidReasons(batch.id()));
        return new DemoReport(batch.id(), batch.product(), batch.lot(), items.size(), DemoReport.byReason(voids),
                items.size() / DemoJourney.CASE_SIZE, road.sold(), earlier.isPresent(), road.written(),
                road.soldItem(), road.shelfItem(), road.warehouseItem());
    }

    /** The latest demo batch, if all its items were marked and commissioned. */
    private Optional<DemoBatch> finishedBatch(long productId) {
        return Batch.<Batch>find("product.id = ?1 and lot like ?2", Sort.by("id").descending(), productId,
                LOT_PREFIX + "%").firstResultOptional()
                .filter(batch -> batch.plannedQuantity == config.items() && commissioned(batch.id) >= config.items())
                .map(DemoBatch::of);
    }

    private DemoBatch newBatch(DemoWorld.Ids ids) {
        long made = QuarkusTransaction.requiringNew().call(() -> Batch.count("product.id = ?1 and lot like ?2",
                ids.productId(), LOT_PREFIX + "%"));
        LocalDate today = LocalDate.now();
        var input = new BatchResource.BatchInput(ids.productId(), LOT_PREFIX + (made + 1), today,
                today.plusYears(2), ids.lineId(), config.items());
        long id = session.call(() -> ((BatchResource.BatchView) batches.create(input).getEntity()).id());
        return QuarkusTransaction.requiringNew().call(() -> DemoBatch.of(Batch.findById(id)));
    }

    /** A service-driven run of the batch on the simulated line; returns when it finished. */
    private void mark(long lineId, long batchId) {
        LineMarker marker = QuarkusTransaction.requiringNew().call(() -> LineMarkerResource.find(lineId));
        String brokerUrl = marker.mqttBrokerUrl != null ? marker.mqttBrokerUrl : broker.url();
        MqttSettings markerSide = MqttSettings.of(brokerUrl, marker.mqttTopicPrefix, marker.mqttSite,
                marker.mqttStation, "demo-marker-" + lineId).withCleanSession(true);
        try (DemoLine line = DemoLine.start(lineId, markerSide, config.itemsPerSecond(), peripherals)) {
            settleActiveRuns(lineId);
            long runId = runs.start(batchId, config.items(), RunDriver.SERVICE, DemoSession.USER).id();
            await(() -> !runs.get(runId).state().active(), markingTime(), "the marking run to finish");
            RunView run = runs.get(runId);
            if (run.state() != RunState.FINISHED) {
                throw new IllegalStateException("The demo's marking run " + runId + " ended " + run.state()
                        + (run.failure() == null ? "" : ": " + run.failure()));
            }
        }
    }

    /**
     * A run an earlier start left active on the line was resumed at this start; it is stopped
     * now that the marker is online to settle its codes, so that the line is free for a new run.
     */
    private void settleActiveRuns(long lineId) {
        List<Long> active = QuarkusTransaction.requiringNew().call(() -> MarkingRun.<MarkingRun>list(
                "activeLineId", lineId).stream().map(run -> run.id).toList());
        for (long id : active) {
            if (runs.get(id).state() != RunState.STOPPING) {
                runs.stop(id);
            }
            await(() -> !runs.get(id).state().active(), SLACK, "an earlier marking run to settle its codes");
        }
    }

    /** Commissioning at once rather than at the schedule's next pass: the run has ended. */
    private void commission(long batchId) {
        await(() -> {
            commissioner.pass();
            return QuarkusTransaction.requiringNew().call(() -> commissioned(batchId)) >= config.items();
        }, SLACK, "the marked items to be commissioned");
    }

    private List<String> commissionedItems(DemoBatch batch) {
        return QuarkusTransaction.requiringNew().call(() -> Code.<Code>find("batch.id = ?1 and state = ?2",
                Sort.by("counter"), batch.id(), CodeState.COMMISSIONED).range(0, config.items() - 1).list().stream()
                .map(code -> registry.uri(batch.gtin(), batch.lot(), code.serial)).toList());
    }

    private static long commissioned(long batchId) {
        return Code.count("batch.id = ?1 and state = ?2", batchId, CodeState.COMMISSIONED);
    }

    /** The line's own time for the items, with room for a slow machine; the run ends long before. */
    private Duration markingTime() {
        return Duration.ofMillis(Math.round(config.items() * 3000 / config.itemsPerSecond())).plus(SLACK);
    }

    private static void await(BooleanSupplier done, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The demo waited " + timeout.toSeconds() + " s for " + what);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("The demo was interrupted while waiting for " + what, e);
            }
        }
    }
}
