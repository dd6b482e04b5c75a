package io.tracemark.trace.marking;

import static io.tracemark.trace.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tracemark.fixtures.MosquittoServer;
import io.tracemark.marker.simulator.LineItem;

/**
 * The line's MQTT broker dies for ten seconds in the middle of a run and comes back on the same
 * port without the sessions it held. The service and the marker reconnect on their own, the run
 * finishes, and every code sent to the marker is settled: marked or voided, none on two items,
 * none left SENT.
 */
@QuarkusTest
class BrokerOutageTest {

    private static final Duration OUTAGE = Duration.ofSeconds(10);
    private static final int ITEMS = 120;
    /** Generous: the line needs a few seconds, a loaded CI machine many more. */
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    StationPeripherals peripherals;

    @Test
    void aRunOutlivesABrokerOutageAndSettlesEveryCodeItSent() throws Exception {
        try (MosquittoServer broker = MosquittoServer.start();
                SimulatedLine line = SimulatedLine.behind(peripherals, broker.url())) {
            long id = asAdmin().body(Map.of("batchId", line.batchId, "count", ITEMS)).post("/api/marking-runs")
                    .then().statusCode(201).extract().jsonPath().getLong("id");
            awaitRun(id, run -> run.getLong("released") >= 20, "the first releases");

            broker.crash();
            awaitRun(id, run -> Set.of("DISCONNECTED", "CONNECTING").contains(run.getString("stationState")),
                    "the service to notice the broker is gone");
            Thread.sleep(OUTAGE.toMillis());
            long releasedDuringOutage = MarkingRunResourceTest.run(id).getLong("released");
            broker.startBroker();
            long upAt = System.nanoTime();
            awaitRun(id, run -> run.getLong("released") > releasedDuringOutage, "the run to release items again");
            System.out.printf("Broker outage of %d s: the run released items again %d ms after the broker was back%n",
                    OUTAGE.toSeconds(), Duration.ofNanos(System.nanoTime() - upAt).toMillis());

            JsonPath done = MarkingRunResourceTest.awaitEnd(id);
            assertEquals("FINISHED", done.getString("state"));
            assertEquals(ITEMS, done.getLong("released"));
            assertEquals(done.getLong("sent"), done.getLong("marked") + done.getLong("voided"),
                    "every code sent was settled: marked or voided");
            Map<String, Long> states = MarkingRunResourceTest.codeStatesOf(id);
            assertNull(states.get("SENT"), "no code left in limbo: " + states);
            assertEquals(done.getLong("sent"), states.values().stream().mapToLong(Long::longValue).sum());
            assertEquals(done.getLong("voided"), states.getOrDefault("VOIDED", 0L));

            line.awaitShipped(ITEMS);
            assertTrue(line.marker.idsOnSeveralItems().isEmpty(), "no code went on two items");
            Set<String> shippedCodes = new HashSet<>();
            for (LineItem item : line.marker.items()) {
                if (item.shipped()) {
                    assertTrue(shippedCodes.add(item.markId()), "code " + item.markId() + " left on two items");
                    asAdmin().get("/api/codes/" + item.markId()).then().statusCode(200)
                            .body("state", org.hamcrest.Matchers.equalTo("MARKED"));
                }
            }
            assertEquals(ITEMS, shippedCodes.size());
        }
    }

    /** Waits for the run to meet {@code condition}; a failure shows where the run stood. */
    private static void awaitRun(long id, Predicate<JsonPath> condition, String what) {
        JsonPath[] last = new JsonPath[1];
        try {
            SimulatedLine.await(() -> condition.test(last[0] = MarkingRunResourceTest.run(id)), WAIT, what);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the run: " + last[0].prettify(), e);
        }
    }
}
