package io.tracemark.trace.marking;

import static io.tracemark.trace.Api.asAdmin;
import static io.tracemark.trace.Api.asStation;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tracemark.fixtures.PostgresDatabase;
import io.tracemark.fixtures.TcpRelay;
import io.tracemark.fixtures.marker.AsciiMarkerFrontEnd;
import io.tracemark.marker.simulator.CameraFeed;
import io.tracemark.marker.simulator.EtchedImages;
import io.tracemark.marker.simulator.LineItem;
import io.tracemark.marker.simulator.LineSettings;
import io.tracemark.fixtures.marker.PtyPair;
import io.tracemark.marker.simulator.VirtualMarker;
import io.tracemark.trace.Api;

/**
 * Runs driven by the station agent on a line PC: the API it talks to, and the agent itself as a
 * separate process driving a simulated serial marker, killed with SIGKILL in the middle of a run
 * and started again.
 */
@QuarkusTest
class StationAgentRunTest {

    @TestHTTPResource("/")
    URL service;

    private static long agentRun(long batchId, int count) {
        return asAdmin().body(Map.of("batchId", batchId, "count", count, "driver", "agent"))
                .post("/api/marking-runs").then().statusCode(201).body("driver", equalTo("AGENT"))
                .extract().jsonPath().getLong("id");
    }

    private static List<Map<String, String>> claim(String key, long run, String requestId, int count) {
        return asStation(key).body(Map.of("requestId", requestId, "count", count))
                .post("/api/marking-runs/" + run + "/claims").then().statusCode(200)
                .extract().jsonPath().getList("codes");
    }

    private static String stateOf(String serial) {
        return asAdmin().get("/api/codes/" + serial).then().statusCode(200).extract().jsonPath().getString("state");
    }

    private static Map<String, Object> step(String id, String state, String grade) {
        Map<String, Object> step = new HashMap<>();
        step.put("id", id);
        step.put("state", state);
        step.put("grade", grade);
        return step;
    }

    @Test
    void anAgentsClaimAskedTwiceGetsTheSameCodesAndItsStepsCountOnce() {
        long batch = Api.batch();
        long line = Api.lineOfBatch(batch);
        String key = Api.stationKey(line);
        long run = agentRun(batch, 10);

        List<Map<String, String>> first = claim(key, run, "claim-1", 4);
        assertEquals(4, first.size());
        assertEquals(first, claim(key, run, "claim-1", 4), "the same request id answers with the same codes");
        assertEquals(8, claim(key, run, "claim-2", 4).size() + first.size());
        String serial = first.get(0).get("id");
        assertTrue(first.get(0).get("content").endsWith("/21/" + serial), first.get(0).toString());
        assertEquals("SENT", stateOf(serial));

        Map<String, Object> report = Map.of("results", List.of(step(serial, "MARKED", null),
                step(serial, "VERIFIED", "B")));
        asStation(key).body(report).post("/api/marking-runs/" + run + "/results").then().statusCode(200)
                .body("applied", equalTo(2));
        asStation(key).body(report).post("/api/marking-runs/" + run + "/results").then().statusCode(200);
        asAdmin().get("/api/marking-runs/" + run).then().body("sent", equalTo(8)).body("marked", equalTo(1))
                .body("verified", equalTo(1));
        assertEquals("VERIFIED", stateOf(serial));
    }

    @Test
    void aReportWithOneForbiddenStepIsRefusedWholeAndNamesIt() {
        long batch = Api.batch();
        String key = Api.stationKey(Api.lineOfBatch(batch));
        long run = agentRun(batch, 10);
        List<Map<String, String>> codes = claim(key, run, "c", 2);
        String good = codes.get(0).get("id");
        String skipped = codes.get(1).get("id");

        asStation(key).body(Map.of("results", List.of(step(good, "MARKED", null), step(skipped, "VERIFIED", "A"))))
                .post("/api/marking-runs/" + run + "/results").then().statusCode(409)
                .body("type", equalTo("urn:tracemark:problem:conflict"))
                .body("violations[0].field", equalTo("results[1]"))
                .body("detail", containsString("cannot become VERIFIED"));
        assertEquals("SENT", stateOf(good), "nothing of the refused report was applied");
        asAdmin().get("/api/marking-runs/" + run).then().body("marked", equalTo(0));

        asStation(key).body(Map.of("results", List.of(step(good, "VERIFIED", null))))
                .post("/api/marking-runs/" + run + "/results").then().statusCode(400)
                .body("violations[0].field", equalTo("results[0].grade"));
    }

    @Test
    void anotherLinesStationKeyCannotClaimOrReport() {
        long batch = Api.batch();
        long run = agentRun(batch, 5);
        String stranger = Api.stationKey(Api.line(Api.factory()));
        asStation(stranger).body(Map.of("requestId", "x", "count", 1)).post("/api/marking-runs/" + run + "/claims")
                .then().statusCode(403);
        asAdmin().get("/api/marking-runs/" + run).then().body("sent", equalTo(0));
    }

    @Test
    void theAgentsFinalStatusEndsTheRunAndFreesTheLine() {
        long batch = Api.batch();
        String key = Api.stationKey(Api.lineOfBatch(batch));
        long run = agentRun(batch, 3);
        asStation(key).body(Map.of("state", "FINISHED", "released", 3, "sent", 3))
                .put("/api/marking-runs/" + run + "/station-status").then().statusCode(200)
                .body("state", equalTo("FINISHED")).body("released", equalTo(3));
        agentRun(batch, 1);
    }

    /**
     * The agent process is killed with SIGKILL while the marker holds codes and the journal has
     * steps the service has not seen. The marker goes on etching what it held. The agent started
     * again reconciles with the marker's log, verifies those marks from the camera's folder,
     * finishes the run and delivers everything: no code is lost, none etched twice.
     */
    @Test
    void anAgentKilledMidRunResumesWithNoCodeLostOrDoubled(@TempDir Path folder) throws Exception {
        int count = 60;
        long batch = Api.batch();
        String key = Api.stationKey(Api.lineOfBatch(batch));
        long run = agentRun(batch, count);
        try (CameraLine line = CameraLine.start(folder, 7, 20)) {
            PtyPair cable = line.cable;
            VirtualMarker marker = line.marker;

            Process first = agent(folder, key, run, cable, "first");
            awaitVerified(run, 15, first, folder);
            first.destroyForcibly();
            assertTrue(first.waitFor(10, TimeUnit.SECONDS));
            assertEquals(137, first.exitValue(), "killed by SIGKILL");
            int verifiedAtKill = asAdmin().get("/api/marking-runs/" + run).then().extract().path("verified");
            assertTrue(verifiedAtKill < count, "killed in the middle of the run: " + verifiedAtKill);
            Thread.sleep(800); // the marker works through its queue meanwhile

            Map<String, String> states = finishesEverySettled(agent(folder, key, run, cable, "second"), folder, run,
                    count, marker);
            for (LineItem item : marker.items()) {
                String state = states.get(item.markId());
                assertTrue("VERIFIED".equals(state) || "VOIDED".equals(state),
                        "item " + item.sequence() + " carries " + item.markId() + " in state " + state);
                if ("VERIFIED".equals(state)) {
                    assertTrue(item.etched() && item.readable(), "a verified code is a good, readable mark: " + item);
                }
            }
            assertEquals(count, marker.items().stream().filter(i -> "VERIFIED".equals(states.get(i.markId()))).count());
        }
    }

    /**
     * The agent is stopped with SIGTERM (the line PC shuts down, the service manager restarts it):
     * like a crash, it leaves the run open and its codes in flight for the next start to reconcile,
     * and voids nothing. Started again, it finishes the run with every code settled.
     */
    @Test
    void anAgentStoppedBySigtermLeavesItsRunToBeResumed(@TempDir Path folder) throws Exception {
        int count = 60;
        long batch = Api.batch();
        String key = Api.stationKey(Api.lineOfBatch(batch));
        long run = agentRun(batch, count);
        try (CameraLine line = CameraLine.start(folder, 13, 40)) {
            Process first = agent(folder, key, run, line.cable, "first");
            awaitVerified(run, 10, first, folder);
            first.destroy();
            assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the agent ends on SIGTERM");

            JsonPath stopped = asAdmin().get("/api/marking-runs/" + run).then().statusCode(200).extract().jsonPath();
            assertEquals("RUNNING", stopped.getString("state"), "the run stays open: " + stopped.prettify());
            assertTrue(stopped.getInt("verified") < count, stopped.prettify());
            assertEquals(List.of(), voidReasons(run).stream().filter(reason -> reason.contains("not needed")
                    || reason.contains("run stopped")).toList(), "the stop voided nothing");
            assertTrue(codeStates(run).containsValue("SENT"), "the codes it held stay SENT, to be reconciled");
            asAdmin().body(Map.of("batchId", batch, "count", 1, "driver", "agent")).post("/api/marking-runs")
                    .then().statusCode(409);

            finishesEverySettled(agent(folder, key, run, line.cable, "second"), folder, run, count, line.marker);
        }
    }

    /**
     * The restarted agent finishes the run: every code it sent is settled, each good item counted
     * once, none etched twice. Answers the run's codes and their states.
     */
    private static Map<String, String> finishesEverySettled(Process agent, Path folder, long run, int count,
            VirtualMarker marker) throws Exception {
        assertTrue(agent.waitFor(120, TimeUnit.SECONDS), "the restarted agent finished the run");
        assertEquals(0, agent.exitValue(), log(folder, "second"));
        marker.stopLine();
        JsonPath finished = asAdmin().get("/api/marking-runs/" + run).then().statusCode(200).extract().jsonPath();
        assertEquals("FINISHED", finished.getString("state"), finished.prettify());
        assertEquals(count, finished.getInt("verified"), finished.prettify());
        assertEquals(count, finished.getInt("released"));
        assertEquals(finished.getInt("sent"), finished.getInt("verified") + finished.getInt("voided"),
                "every code sent is settled: " + finished.prettify());
        assertEquals(Map.of(), marker.idsOnSeveralItems(), "no code etched on two items");
        Map<String, String> states = codeStates(run);
        assertTrue(states.values().stream().noneMatch(s -> s.equals("SENT") || s.equals("MARKED")), states.toString());
        return states;
    }

    /** A serial marker on a pty whose camera saves each mark into the folder the agent reads, the line moving. */
    private static final class CameraLine implements AutoCloseable {
        final PtyPair cable;
        final VirtualMarker marker;
        final AsciiMarkerFrontEnd frontEnd;

        private CameraLine(PtyPair cable, VirtualMarker marker, AsciiMarkerFrontEnd frontEnd) {
            this.cable = cable;
            this.marker = marker;
            this.frontEnd = frontEnd;
        }

        static CameraLine start(Path folder, long seed, double itemsPerSecond) throws IOException {
            Path camera = Files.createDirectories(folder.resolve("camera"));
            PtyPair cable = PtyPair.open();
            VirtualMarker marker = new VirtualMarker(LineSettings.typical(seed).withSpeed(itemsPerSecond));
            AsciiMarkerFrontEnd frontEnd = new AsciiMarkerFrontEnd(marker, cable);
            marker.onEtch(CameraFeed.intoFolder(camera, EtchedImages.Degradation.LIGHT, seed));
            frontEnd.start();
            marker.startLine();
            return new CameraLine(cable, marker, frontEnd);
        }

        @Override
        public void close() throws Exception {
            try (cable; marker; frontEnd) {
                // Closed in the reverse order of opening, as try-with-resources does.
            }
        }
    }

    private Process agent(Path folder, String key, long run, PtyPair cable, String name) throws IOException {
        return agent(service.toString(), folder, key, run, cable, name);
    }

    private static Process agent(String serviceUrl, Path folder, String key, long run, PtyPair cable, String name)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", agentJar().toString(), "--service", serviceUrl, "--key", key, "--run", Long.toString(run),
                "--port", cable.hostPath().toString(), "--dialect", "ascii", "--camera-dir",
                folder.resolve("camera").toString(), "--journal", folder.resolve("journal").toString(),
                "--queue-depth", "6", "--drain-timeout", "PT20S"));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(folder.resolve(name + ".log").toFile()).start();
    }

    /**
     * The plant's uplink fails in the middle of a run: the agent goes on marking with the codes it
     * holds, keeps every step in its journal, and delivers them when the service answers again,
     * each counted once.
     */
    @Test
    void anAgentCutOffFromTheServiceKeepsMarkingAndDeliversEverythingOnceBack(@TempDir Path folder) throws Exception {
        int count = 40;
        long batch = Api.batch();
        String key = Api.stationKey(Api.lineOfBatch(batch));
        long run = agentRun(batch, count);
        try (TcpRelay uplink = new TcpRelay(service.getPort()); CameraLine line = CameraLine.start(folder, 11, 20)) {
            PtyPair cable = line.cable;
            VirtualMarker marker = line.marker;
            Process agent = agent("http://127.0.0.1:" + uplink.port() + "/", folder, key, run, cable, "agent");
            awaitVerified(run, 5, agent, folder);

            uplink.cut();
            Thread.sleep(300); // a report already received when the cable went is still being applied
            int verifiedAtCut = asAdmin().get("/api/marking-runs/" + run).then().extract().path("verified");
            long etchedAtCut = marker.items().size();
            Thread.sleep(1500);
            assertTrue(marker.items().size() > etchedAtCut + 10, "the line went on marking while cut off");
            int verifiedWhileCut = asAdmin().get("/api/marking-runs/" + run).then().extract().path("verified");
            assertEquals(verifiedAtCut, verifiedWhileCut, "nothing reached the service while cut off");

            uplink.restore();
            assertTrue(agent.waitFor(90, TimeUnit.SECONDS), "the agent finished once the service was back");
            assertEquals(0, agent.exitValue(), log(folder, "agent"));
            marker.stopLine();

            JsonPath finished = asAdmin().get("/api/marking-runs/" + run).then().extract().jsonPath();
            assertEquals("FINISHED", finished.getString("state"), finished.prettify());
            assertEquals(count, finished.getInt("verified"), "each step counted once: " + finished.prettify());
            assertTrue(finished.getInt("voided") <= 2 * 6 + 8, "claims follow the run's needs, so it ends holding "
                    + "few unused codes to void: " + finished.prettify());
            assertEquals(finished.getInt("sent"), finished.getInt("verified") + finished.getInt("voided"));
            Map<String, String> states = codeStates(run);
            assertEquals(count, states.values().stream().filter("VERIFIED"::equals).count());
            assertTrue(states.values().stream().noneMatch(s -> s.equals("SENT") || s.equals("MARKED")), states.toString());
            assertEquals(Map.of(), marker.idsOnSeveralItems());
        }
    }

    private static Path agentJar() throws IOException {
        Path target = Path.of("..", "marker-driver", "target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().matches("marker-driver-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("No station agent jar in " + target.toAbsolutePath()
                            + ": build the reactor from the root (mvn verify)"));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalStateException("Build marker-driver first (mvn verify from the root)", e);
        }
    }

    private static void awaitVerified(long run, int atLeast, Process agent, Path folder) throws Exception {
        String name = Files.exists(folder.resolve("agent.log")) ? "agent" : "first";
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (asAdmin().get("/api/marking-runs/" + run).then().extract().<Integer>path("verified") < atLeast) {
            if (!agent.isAlive()) {
                throw new AssertionError("the agent ended on its own, exit " + agent.exitValue() + ":\n"
                        + log(folder, name));
            }
            assertTrue(System.nanoTime() < deadline, "the agent never verified " + atLeast + " codes");
            Thread.sleep(100);
        }
    }

    private static String log(Path folder, String name) throws IOException {
        return Files.readString(folder.resolve(name + ".log"));
    }

    /** Why each of the run's voided codes was voided, read behind the service's back. */
    private static List<String> voidReasons(long run) throws Exception {
        List<String> reasons = new ArrayList<>();
        try (Connection db = PostgresDatabase.connect();
                PreparedStatement select = db.prepareStatement(
                        "select void_reason from code where run_id = ? and state = 'VOIDED'")) {
            select.setLong(1, run);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    reasons.add(rows.getString(1));
                }
            }
        }
        return reasons;
    }

    /** The run's codes as the database holds them, read behind the service's back. */
    private static Map<String, String> codeStates(long run) throws Exception {
        Map<String, String> states = new HashMap<>();
        try (Connection db = PostgresDatabase.connect();
                PreparedStatement select = db.prepareStatement("select serial, state from code where run_id = ?")) {
            select.setLong(1, run);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    states.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        return states;
    }
}
