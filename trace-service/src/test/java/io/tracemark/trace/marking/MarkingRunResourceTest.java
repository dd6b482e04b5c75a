package io.tracemark.trace.marking;

import static io.tracemark.trace.Api.anonymous;
import static io.tracemark.trace.Api.as;
import static io.tracemark.trace.Api.asAdmin;
import static io.tracemark.trace.Api.asStation;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tracemark.fixtures.PostgresDatabase;
import io.tracemark.marker.simulator.LineItem;
import io.tracemark.marker.MarkOrder;
import io.tracemark.trace.Api;
import io.tracemark.trace.code.CodeAllocator;
import io.tracemark.trace.code.CodeRegistry;
import io.tracemark.trace.code.SerialKeys;

/** Marking runs through the API, against the simulated marker on the real MQTT broker. */
@QuarkusTest
class MarkingRunResourceTest {

    private static final Set<String> ENDED = Set.of("FINISHED", "STOPPED", "FAILED");

    @Inject
    StationPeripherals peripherals;
    @Inject
    MarkingRunService service;
    @Inject
    EntityManager em;
    @Inject
    SerialKeys keys;
    @Inject
    CodeRegistry registry;
    @Inject
    CodeAllocator allocator;

    private static long start(long batchId, long count) {
        return asAdmin().body(Map.of("batchId", batchId, "count", count)).post("/api/marking-runs")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    static JsonPath run(long id) {
        return asAdmin().get("/api/marking-runs/" + id).then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath awaitState(long id, Set<String> states) {
        JsonPath[] last = new JsonPath[1];
        SimulatedLine.await(() -> states.contains((last[0] = run(id)).getString("state")), Duration.ofSeconds(60),
                "marking run " + id + " to become one of " + states);
        return last[0];
    }

    static JsonPath awaitEnd(long id) {
        return awaitState(id, ENDED);
    }

    /** How many of the run's codes the registry holds in each state, read behind the service's back. */
    static Map<String, Long> codeStatesOf(long runId) throws Exception {
        Map<String, Long> states = new HashMap<>();
        try (Connection db = PostgresDatabase.connect();
                PreparedStatement query = db.prepareStatement(
                        "select state, count(*) from code where run_id = ? group by state")) {
            query.setLong(1, runId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    states.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        return states;
    }

    private static long runCount() {
        return asAdmin().get("/api/marking-runs?size=1").then().statusCode(200).extract().jsonPath().getLong("total");
    }

    @Test
    void marksTheCountOfGoodItemsAndSettlesEveryCodeItSent() throws Exception {
        try (SimulatedLine line = SimulatedLine.start(peripherals).withCamera()) {
            var started = asAdmin().body(Map.of("batchId", line.batchId, "count", 50)).post("/api/marking-runs")
                    .then().statusCode(201)
                    .body("state", equalTo("RUNNING")).body("lineId", equalTo((int) line.lineId))
                    .body("batchId", equalTo((int) line.batchId)).body("count", equalTo(50))
                    .body("startedBy", equalTo("admin")).extract();
            long id = started.jsonPath().getLong("id");
            assertTrue(started.header("Location").endsWith("/api/marking-runs/" + id));

            JsonPath done = awaitEnd(id);

            assertEquals("FINISHED", done.getString("state"));
            assertEquals("FINISHED", done.getString("stationState"));
            assertEquals(50, done.getLong("released"));
            assertEquals(done.getLong("sent"), done.getLong("marked") + done.getLong("voided"),
                    "every code sent was settled: marked or voided");
            assertEquals(0, done.getInt("markerQueue"));
            Map<String, Long> states = codeStatesOf(id);
            assertEquals(done.getLong("verified"), states.getOrDefault("VERIFIED", 0L));
            assertEquals(done.getLong("marked"), done.getLong("verified"), "every mark kept was verified");
            assertEquals(done.getLong("voided"), states.getOrDefault("VOIDED", 0L));
            assertEquals(done.getLong("sent"), states.values().stream().mapToLong(Long::longValue).sum());

            line.awaitShipped(50);
            assertTrue(line.marker.idsOnSeveralItems().isEmpty(), "no code went on two items");
            for (LineItem item : line.marker.items()) {
                if (item.shipped()) {
                    asAdmin().get("/api/codes/" + item.markId()).then().statusCode(200)
                            .body("state", equalTo("VERIFIED")).body("runId", equalTo((int) id))
                            .body("grade", notNullValue());
                }
            }
            asAdmin().get("/api/lines/" + line.lineId + "/marker").then().statusCode(200);
            asAdmin().get("/api/marking-runs?lineId=" + line.lineId).then().statusCode(200)
                    .body("total", equalTo(1)).body("items[0].id", equalTo((int) id))
                    .body("items[0].state", equalTo("FINISHED"));
        }
    }

    @Test
    void pausesResumesAndStopsARunAndVoidsWhatWasInFlight() throws Exception {
        try (SimulatedLine line = SimulatedLine.start(peripherals)) {
            long id = start(line.batchId, 10_000);
            SimulatedLine.await(() -> run(id).getLong("released") >= 5, Duration.ofSeconds(20), "the first releases");

            asAdmin().post("/api/marking-runs/" + id + "/pause").then().statusCode(200)
                    .body("state", equalTo("PAUSED"));
            awaitStationState(id, "PAUSED");
            long sentWhilePaused = run(id).getLong("sent");
            asAdmin().post("/api/marking-runs/" + id + "/pause").then().statusCode(409)
                    .body("type", equalTo("urn:tracemark:problem:conflict")).body("detail", containsString("PAUSED"));
            Thread.sleep(500);
            assertEquals(sentWhilePaused, run(id).getLong("sent"), "a paused run sends no new code");

            asAdmin().post("/api/marking-runs/" + id + "/resume").then().statusCode(200)
                    .body("state", equalTo("RUNNING"));
            asAdmin().post("/api/marking-runs/" + id + "/resume").then().statusCode(409);
            SimulatedLine.await(() -> run(id).getLong("sent") > sentWhilePaused, Duration.ofSeconds(20),
                    "codes to flow again");

            asAdmin().post("/api/marking-runs/" + id + "/stop").then().statusCode(200);
            JsonPath stopped = awaitEnd(id);

            assertEquals("STOPPED", stopped.getString("state"));
            assertTrue(stopped.getLong("released") < 10_000);
            assertEquals(stopped.getLong("sent"), stopped.getLong("marked") + stopped.getLong("voided"));
            Map<String, Long> states = codeStatesOf(id);
            assertEquals(null, states.get("SENT"), "nothing left in limbo");
            assertEquals(stopped.getLong("marked"), states.get("MARKED"), "without a camera codes stop at MARKED");
            asAdmin().post("/api/marking-runs/" + id + "/stop").then().statusCode(409)
                    .body("detail", containsString("STOPPED"));
            asAdmin().post("/api/marking-runs/" + id + "/resume").then().statusCode(409);
            asAdmin().post("/api/marking-runs/987654321/stop").then().statusCode(404);
        }
    }

    private static void awaitStationState(long id, String state) {
        SimulatedLine.await(() -> state.equals(run(id).getString("stationState")), Duration.ofSeconds(20),
                "station state " + state);
    }

    @Test
    void aLineRunsOneRunAtATimeAndKeepsItsMarkerConfigurationMeanwhile() throws Exception {
        try (SimulatedLine line = SimulatedLine.start(peripherals)) {
            long id = start(line.batchId, 10_000);
            long sameLineBatch = Api.batch(Api.product(), line.lineId);
            String configuration = asAdmin().get("/api/lines/" + line.lineId + "/marker").then().extract().asString();
            long runs = runCount();

            asAdmin().body(Map.of("batchId", sameLineBatch, "count", 10)).post("/api/marking-runs")
                    .then().statusCode(409).body("detail", containsString("already has an active marking run"));
            asAdmin().body(SimulatedLine.markerConfiguration(line.station)).put("/api/lines/" + line.lineId + "/marker")
                    .then().statusCode(409);

            assertEquals(runs, runCount());
            assertEquals(configuration, asAdmin().get("/api/lines/" + line.lineId + "/marker").then().extract().asString());
            asAdmin().post("/api/marking-runs/" + id + "/stop").then().statusCode(200);
            awaitEnd(id);
            long next = start(sameLineBatch, 5);
            assertEquals("FINISHED", awaitEnd(next).getString("state"));
        }
    }

    @Test
    void refusesBadStartsAndStoresNothing() {
        long unconfigured = Api.batch();
        long before = runCount();

        asAdmin().body(Map.of("batchId", unconfigured, "count", 10)).post("/api/marking-runs").then().statusCode(409)
                .body("detail", containsString("no marker configured"));
        asAdmin().body(Map.of("batchId", unconfigured, "count", 0)).post("/api/marking-runs").then().statusCode(400)
                .body("violations[0].field", equalTo("count"));
        asAdmin().body(Map.of("batchId", unconfigured)).post("/api/marking-runs").then().statusCode(400)
                .body("violations[0].field", equalTo("count"));
        asAdmin().body(Map.of("count", 10)).post("/api/marking-runs").then().statusCode(400)
                .body("violations[0].field", equalTo("batchId"));
        asAdmin().body(Map.of("batchId", 987654321L, "count", 10)).post("/api/marking-runs").then().statusCode(400)
                .body("violations[0].field", equalTo("batchId"));
        asAdmin().body("{\"batchId\": " + unconfigured + ", \"count\": \"many\"}").post("/api/marking-runs")
                .then().statusCode(400).body("violations[0].field", equalTo("count"));
        asAdmin().body(Map.of("batchId", unconfigured, "count", 100_000_001)).post("/api/marking-runs")
                .then().statusCode(400).body("violations[0].field", equalTo("count"));

        assertEquals(before, runCount());
        asAdmin().get("/api/marking-runs/987654321").then().statusCode(404);
    }

    @Test
    void operatorsRunTheLineItsStationMayPauseOrStopItAndRegulatorsWatch() throws Exception {
        try (SimulatedLine line = SimulatedLine.start(peripherals)) {
            String operator = Api.user("otto.operator", "operator");
            String regulator = Api.user("rosa.regulator", "regulator");
            String partner = Api.user("pete.partner", "partner");
            String station = Api.stationKey(line.lineId);
            String otherStation = Api.stationKey(Api.line(Api.factory()));

            asStation(station).body(Map.of("batchId", line.batchId, "count", 10)).post("/api/marking-runs")
                    .then().statusCode(403);
            as("rosa.regulator", regulator).body(Map.of("batchId", line.batchId, "count", 10))
                    .post("/api/marking-runs").then().statusCode(403);
            anonymous().body(Map.of("batchId", line.batchId, "count", 10)).post("/api/marking-runs")
                    .then().statusCode(401);
            long id = as("otto.operator", operator).body(Map.of("batchId", line.batchId, "count", 10_000))
                    .post("/api/marking-runs").then().statusCode(201).body("startedBy", equalTo("otto.operator"))
                    .extract().jsonPath().getLong("id");

            as("rosa.regulator", regulator).get("/api/marking-runs/" + id).then().statusCode(200);
            as("rosa.regulator", regulator).get("/api/marking-runs?state=RUNNING").then().statusCode(200)
                    .body("items.id", hasItem((int) id));
            as("rosa.regulator", regulator).post("/api/marking-runs/" + id + "/pause").then().statusCode(403);
            as("pete.partner", partner).get("/api/marking-runs/" + id).then().statusCode(403);
            asStation(otherStation).get("/api/marking-runs/" + id).then().statusCode(403);
            asStation(otherStation).post("/api/marking-runs/" + id + "/stop").then().statusCode(403);
            asStation(otherStation).get("/api/marking-runs?lineId=" + line.lineId).then().statusCode(403);
            asStation(otherStation).get("/api/marking-runs").then().statusCode(200).body("total", equalTo(0));
            assertEquals("RUNNING", run(id).getString("state"));

            asStation(station).get("/api/marking-runs").then().statusCode(200).body("items[0].id", equalTo((int) id));
            asStation(station).post("/api/marking-runs/" + id + "/pause").then().statusCode(200)
                    .body("state", equalTo("PAUSED"));
            asStation(station).post("/api/marking-runs/" + id + "/resume").then().statusCode(403);
            as("otto.operator", operator).post("/api/marking-runs/" + id + "/resume").then().statusCode(200);
            asStation(station).post("/api/marking-runs/" + id + "/stop").then().statusCode(200);
            assertEquals("STOPPED", awaitEnd(id).getString("state"));
        }
    }

    @Test
    void resumesARunACrashLeftActiveAndSettlesTheCodesItHadInFlight() throws Exception {
        try (SimulatedLine line = SimulatedLine.start(peripherals)) {
            // What a service that died mid-run leaves behind: an active run whose last codes went
            // out as SENT, with no word of them from the marker.
            long id = RecordedRuns.running(line.batchId, line.lineId, 20, run -> run.activeLineId = line.lineId);
            List<MarkOrder> inFlight = new RegistryMarkingPort(id, em, keys, registry, allocator).claim(4);

            assertTrue(service.resumeInterrupted().contains(id));

            JsonPath done = awaitEnd(id);
            assertEquals("FINISHED", done.getString("state"));
            assertEquals(20, done.getLong("released"));
            assertEquals(done.getLong("sent"), done.getLong("marked") + done.getLong("voided"));
            for (MarkOrder order : inFlight) {
                asAdmin().get("/api/codes/" + order.id()).then().statusCode(200).body("state", equalTo("VOIDED"))
                        .body("voidReason", containsString("doubtful"));
            }
            line.awaitShipped(20);
            for (LineItem item : line.marker.items()) {
                assertTrue(inFlight.stream().noneMatch(order -> order.id().equals(item.markId())),
                        "a code left in limbo by the crash never reaches an item");
            }
        }
    }

    /**
     * A run on a line without a camera that had marked more items than one mark log query holds
     * when the service died: resumed, it settles what it had in flight and makes up the rest,
     * neither failing on the length of its history nor counting or voiding its shipped items again.
     */
    @Test
    void resumesARunWithoutACameraThatHadMarkedMoreThanOneMarkLogQueryHolds() throws Exception {
        try (SimulatedLine line = SimulatedLine.start(peripherals)) {
            int shipped = 1100;
            long id = RecordedRuns.running(line.batchId, line.lineId, shipped + 10,
                    run -> run.activeLineId = line.lineId);
            RegistryMarkingPort port = new RegistryMarkingPort(id, em, keys, registry, allocator);
            List<MarkOrder> before = port.claim(shipped + 4);
            // What the dead service had recorded: 1,100 items marked and released, 4 codes SENT.
            QuarkusTransaction.requiringNew().run(() -> {
                em.createNativeQuery("update code set state = 'MARKED' where run_id = ?1 and serial in (?2)")
                        .setParameter(1, id).setParameter(2, before.subList(0, shipped).stream()
                                .map(MarkOrder::id).toList()).executeUpdate();
                em.createNativeQuery("update marking_run set marked = ?1, released = ?1 where id = ?2")
                        .setParameter(1, shipped).setParameter(2, id).executeUpdate();
            });

            assertTrue(service.resumeInterrupted().contains(id));

            JsonPath done = awaitEnd(id);
            assertEquals("FINISHED", done.getString("state"), done.prettify());
            assertEquals(shipped + 10, done.getLong("released"), done.prettify());
            assertEquals(done.getLong("sent"), done.getLong("marked") + done.getLong("voided"), done.prettify());
            Map<String, Long> states = codeStatesOf(id);
            assertEquals(null, states.get("SENT"), "nothing left in limbo: " + states);
            assertEquals(shipped + 10, states.get("MARKED"), states.toString());
            assertEquals(Map.of(), line.marker.idsOnSeveralItems(), "no code etched twice");
        }
    }
}
