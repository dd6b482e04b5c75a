package io.tracemark.trace.marking;

import static io.tracemark.trace.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.trace.Api;

/** A run's live status as server-sent events, read the way a dashboard reads them. */
@QuarkusTest
class MarkingRunEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    StationPeripherals peripherals;

    @TestHTTPResource("/api/marking-runs")
    URL runs;

    /** One event of the stream; END marks that the server closed it. */
    record Event(String name, Map<String, Object> run) {
        static final Event END = new Event("end", Map.of());

        long count(String field) {
            return ((Number) run.get(field)).longValue();
        }
    }

    /** Opens the run's event stream with a plain HTTP client and hands each event over as it arrives. */
    private BlockingQueue<Event> listen(long runId, String authorization, int[] status) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(runs + "/" + runId + "/events"))
                .header("Authorization", authorization).header("Accept", "text/event-stream").build();
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofLines());
        status[0] = response.statusCode();
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        if (status[0] != 200) {
            return events;
        }
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        Thread reader = new Thread(() -> {
            String name = "message";
            StringBuilder data = new StringBuilder();
            try (Stream<String> lines = response.body()) {
                for (String line : (Iterable<String>) lines::iterator) {
                    if (line.isEmpty()) {
                        if (data.length() > 0) {
                            events.add(new Event(name, JSON.readValue(data.toString(), new TypeReference<>() {
                            })));
                        }
                        name = "message";
                        data.setLength(0);
                    } else if (line.startsWith("event:")) {
                        name = line.substring("event:".length()).strip();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring("data:".length()).strip());
                    }
                }
            } catch (Exception e) {
                events.add(new Event("error: " + e, Map.of()));
            }
            events.add(Event.END);
        }, "sse-reader");
        reader.setDaemon(true);
        reader.start();
        return events;
    }

    private static String admin() {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + Api.ADMIN_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static Event next(BlockingQueue<Event> events) throws InterruptedException {
        Event event = events.poll(30, TimeUnit.SECONDS);
        assertNotNull(event, "no event within 30 s");
        return event;
    }

    @Test
    void streamsEveryStatusChangeAndHeartbeatsUntilTheRunEnds() throws Exception {
        try (SimulatedLine line = SimulatedLine.start(peripherals)) {
            long id = asAdmin().body(Map.of("batchId", line.batchId, "count", 40)).post("/api/marking-runs")
                    .then().statusCode(201).extract().jsonPath().getLong("id");
            int[] status = new int[1];
            BlockingQueue<Event> events = listen(id, admin(), status);
            assertEquals(200, status[0]);

            List<Event> seen = new ArrayList<>();
            Event event = next(events);
            assertEquals("status", event.name(), "the stream opens with the current status");
            assertEquals(id, event.count("id"));
            seen.add(event);
            while (event.count("released") < 5) {
                seen.add(event = next(events));
            }
            asAdmin().post("/api/marking-runs/" + id + "/pause").then().statusCode(200);
            while (!"heartbeat".equals(event.name()) || !"PAUSED".equals(event.run().get("stationState"))) {
                seen.add(event = next(events));
            }
            asAdmin().post("/api/marking-runs/" + id + "/resume").then().statusCode(200);
            while (event != Event.END) {
                seen.add(event = next(events));
            }

            Event last = seen.get(seen.size() - 2);
            assertEquals("status", last.name());
            assertEquals("FINISHED", last.run().get("state"));
            assertEquals(40, last.count("released"));
            assertEquals(last.count("sent"), last.count("marked") + last.count("voided"));
            assertTrue(seen.stream().anyMatch(e -> "PAUSED".equals(e.run().get("state"))), "the pause was told");
            for (int i = 1; i < seen.size() - 1; i++) {
                assertTrue(seen.get(i).count("sent") >= seen.get(i - 1).count("sent"), "counts only grow");
            }
            assertEquals(asAdmin().get("/api/marking-runs/" + id).then().extract().jsonPath().getLong("sent"),
                    last.count("sent"), "the last event is the stored status");
        }
    }

    @Test
    void anEndedRunsStreamGivesItsFinalStatusAndCloses() throws Exception {
        try (SimulatedLine line = SimulatedLine.start(peripherals)) {
            long id = asAdmin().body(Map.of("batchId", line.batchId, "count", 3)).post("/api/marking-runs")
                    .then().statusCode(201).extract().jsonPath().getLong("id");
            SimulatedLine.await(() -> "FINISHED".equals(asAdmin().get("/api/marking-runs/" + id).then().extract()
                    .jsonPath().getString("state")), Duration.ofSeconds(30), "the run to finish");

            int[] status = new int[1];
            BlockingQueue<Event> events = listen(id, admin(), status);

            Event only = next(events);
            assertEquals("FINISHED", only.run().get("state"));
            assertEquals(3, only.count("released"));
            assertEquals(Event.END, next(events));
        }
    }

    @Test
    void onlyThoseWhoMayReadTheRunMayListen() throws Exception {
        try (SimulatedLine line = SimulatedLine.start(peripherals)) {
            long id = asAdmin().body(Map.of("batchId", line.batchId, "count", 3)).post("/api/marking-runs")
                    .then().statusCode(201).extract().jsonPath().getLong("id");
            String otherStation = "Bearer " + Api.stationKey(Api.line(Api.factory()));
            int[] status = new int[1];

            listen(id, "Basic " + Base64.getEncoder().encodeToString("admin:wrong".getBytes()), status);
            assertEquals(401, status[0]);
            listen(id, otherStation, status);
            assertEquals(403, status[0]);
            BlockingQueue<Event> own = listen(id, "Bearer " + Api.stationKey(line.lineId), status);
            assertEquals(200, status[0]);
            assertEquals(id, next(own).count("id"));
            SimulatedLine.await(() -> "FINISHED".equals(asAdmin().get("/api/marking-runs/" + id).then().extract()
                    .jsonPath().getString("state")), Duration.ofSeconds(30), "the run to finish");
        }
    }
}
