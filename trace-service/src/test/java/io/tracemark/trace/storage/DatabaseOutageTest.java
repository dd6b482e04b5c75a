package io.tracemark.trace.storage;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.tracemark.fixtures.PostgresCluster;
import io.tracemark.fixtures.ThrowawayPostgres;
import io.tracemark.trace.Api;

/**
 * The database goes away for ten seconds while clients allocate codes and capture events. Every
 * request meanwhile answers promptly with a 503 problem and Retry-After; the service recovers by
 * itself when the database is back; whatever was answered 2xx is stored, and nothing is stored by
 * halves.
 */
@QuarkusTest
@TestProfile(DatabaseOutageTest.OwnDatabase.class)
class DatabaseOutageTest {

    /** The service on a PostgreSQL of the test's own, which the test stops and starts. */
    public static class OwnDatabase implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ThrowawayPostgres.class));
        }
    }

    private static final Duration OUTAGE = Duration.ofSeconds(10);
    /**
     * Longest a request may wait for the database: the pool's acquisition timeout (5 s) and some
     * slack. A request the client gave up on (after this and 5 s more) fails the test too.
     */
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(12);
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(10);
    private static final int CODES_PER_ALLOCATION = 500;
    private static final int EVENTS_PER_DOCUMENT = 3;
    private static final String STORAGE_UNAVAILABLE = "urn:tracemark:problem:storage-unavailable";

    @ThrowawayPostgres.Cluster
    PostgresCluster cluster;

    @TestHTTPResource("/")
    URI base;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicBoolean running = new AtomicBoolean(true);

    /** What one request was and how it was answered. */
    record Call(String kind, int status, long millis, long endedAtNanos, String retryAfter, String problemType,
            List<String> eventIds, long allocationId) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    @Test
    void answers503DuringAnOutageRecoversAloneAndLosesNothingItAcknowledged() throws Exception {
        List<Long> batches = List.of(Api.batch(), Api.batch());
        String partnerPassword = Api.user("outage-partner", "partner");
        List<Call> calls = Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> loops = new ArrayList<>();
        for (long batch : batches) {
            loops.add(clients.submit(() -> keepCalling(calls, () -> allocate(batch))));
        }
        for (int i = 0; i < 2; i++) {
            loops.add(clients.submit(() -> keepCalling(calls, this::capture)));
        }

        awaitAnswers(calls, 6, "requests answered before the outage");
        cluster.crash();
        long downAt = System.nanoTime();
        Thread.sleep(OUTAGE.toMillis() / 2);
        // A caller whose password the service has not verified yet is not turned away as unknown.
        Api.as("outage-partner", partnerPassword).get("/api/products").then().statusCode(503)
                .header("Retry-After", equalTo("5")).body("type", equalTo(STORAGE_UNAVAILABLE));
        Thread.sleep(OUTAGE.toMillis() - Duration.ofNanos(System.nanoTime() - downAt).toMillis());
        cluster.startServer();
        long upAt = System.nanoTime();

        long allocationRecovered = awaitSuccessAfter(calls, "allocation", upAt);
        long captureRecovered = awaitSuccessAfter(calls, "capture", upAt);
        running.set(false);
        for (Future<?> loop : loops) {
            loop.get(ANSWER_BOUND.toSeconds() + 5, TimeUnit.SECONDS);
        }
        clients.shutdown();
        System.out.printf("Database outage of %d s: %d requests, %d answered 503 (the slowest in %d ms); first "
                + "allocation %d ms and first capture %d ms after the database was back%n", OUTAGE.toSeconds(),
                calls.size(), calls.stream().filter(call -> call.status() == 503).count(),
                calls.stream().filter(call -> call.status() == 503).mapToLong(Call::millis).max().orElse(0),
                TimeUnit.NANOSECONDS.toMillis(allocationRecovered - upAt),
                TimeUnit.NANOSECONDS.toMillis(captureRecovered - upAt));

        assertTrue(allocationRecovered - upAt <= RECOVERY_BOUND.toNanos(), "allocations recovered without a restart");
        assertTrue(captureRecovered - upAt <= RECOVERY_BOUND.toNanos(), "captures recovered without a restart");
        assertAnsweredAsExpected(calls);
        assertEveryAcknowledgedAllocationIsWhole(batches, calls);
        assertEveryDocumentStoredWholeOrNotAtAll(calls);
    }

    private void assertAnsweredAsExpected(List<Call> calls) {
        for (Call call : calls) {
            assertTrue(call.ok() || call.status() == 503, call.kind() + " answered " + call.status() + ": " + call);
            if (call.status() == 503) {
                assertTrue(call.millis() <= ANSWER_BOUND.toMillis(), "a 503 took " + call.millis() + " ms: " + call);
                assertEquals(STORAGE_UNAVAILABLE, call.problemType(), call.toString());
                assertEquals("5", call.retryAfter(), "a 503 says when to come back");
            }
        }
        for (String kind : List.of("allocation", "capture")) {
            assertTrue(calls.stream().anyMatch(call -> call.kind().equals(kind) && call.status() == 503),
                    "some " + kind + " met the outage");
        }
    }

    /** Every 201 allocation is there with all its codes; batch counts equal the code rows, so no allocation is partial. */
    private void assertEveryAcknowledgedAllocationIsWhole(List<Long> batches, List<Call> calls) throws SQLException {
        try (Connection db = cluster.connect(ThrowawayPostgres.DATABASE)) {
            for (Call call : calls) {
                if (call.kind().equals("allocation") && call.ok()) {
                    assertEquals(CODES_PER_ALLOCATION, single(db, "select count(*) from code c join code_allocation a"
                            + " on c.counter between a.first_counter and a.first_counter + a.code_count - 1"
                            + " and c.batch_id = a.batch_id where a.id = ?", call.allocationId()),
                            "codes of acknowledged allocation " + call.allocationId());
                }
            }
            for (long batch : batches) {
                long counted = single(db, "select codes_allocated from batch where id = ?", batch);
                assertEquals(counted, single(db, "select count(*) from code where batch_id = ?", batch),
                        "code rows of batch " + batch);
                assertEquals(counted, single(db, "select coalesce(sum(code_count), 0) from code_allocation"
                        + " where batch_id = ?", batch), "allocations of batch " + batch);
            }
        }
    }

    private void assertEveryDocumentStoredWholeOrNotAtAll(List<Call> calls) throws SQLException {
        try (Connection db = cluster.connect(ThrowawayPostgres.DATABASE);
                PreparedStatement stored = db.prepareStatement("select count(*) from event where event_id = any (?)")) {
            for (Call call : calls) {
                if (!call.kind().equals("capture")) {
                    continue;
                }
                stored.setArray(1, db.createArrayOf("varchar", call.eventIds().toArray()));
                long count;
                try (ResultSet row = stored.executeQuery()) {
                    row.next();
                    count = row.getLong(1);
                }
                if (call.ok()) {
                    assertEquals(EVENTS_PER_DOCUMENT, count, "events of an acknowledged capture: " + call);
                } else {
                    assertTrue(count == 0 || count == EVENTS_PER_DOCUMENT, "a capture stored by halves: " + call);
                }
            }
        }
    }

    private static long single(Connection db, String sql, long parameter) throws SQLException {
        try (PreparedStatement query = db.prepareStatement(sql)) {
            query.setLong(1, parameter);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private void keepCalling(List<Call> calls, Supplier<Call> request) {
        while (running.get()) {
            Call call = request.get();
            calls.add(call);
            if (!call.ok()) {
                pause(100);
            }
        }
    }

    private Call allocate(long batch) {
        return send("allocation", "/api/batches/" + batch + "/codes", "{\"count\":" + CODES_PER_ALLOCATION + "}",
                List.of());
    }

    private Call capture() {
        List<String> ids = new ArrayList<>();
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < EVENTS_PER_DOCUMENT; i++) {
            String id = "urn:uuid:" + UUID.randomUUID();
            ids.add(id);
            events.append(i == 0 ? "" : ",").append("""
                    {"type":"ObjectEvent","eventID":"%s","eventTime":"2026-11-23T10:15:30.000+01:00",
                     "eventTimeZoneOffset":"+01:00","epcList":["urn:epc:id:sgtin:950600.0123456.%s"],
                     "action":"OBSERVE","bizStep":"inspecting","readPoint":{"id":"urn:epc:id:sgln:950611.000001.0"}}
                    """.formatted(id, UUID.randomUUID().toString().substring(0, 8)));
        }
        String document = """
                {"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
                 "type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-23T10:20:00.000+01:00",
                 "epcisBody":{"eventList":[%s]}}
                """.formatted(events);
        return send("capture", "/epcis/capture", document, ids);
    }

    private Call send(String kind, String path, String json, List<String> eventIds) {
        String credentials = Base64.getEncoder()
                .encodeToString(("admin:" + Api.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(ANSWER_BOUND.plusSeconds(5))
                .header("Authorization", "Basic " + credentials).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            long end = System.nanoTime();
            JsonPath body = response.body().isEmpty() ? null : JsonPath.from(response.body());
            int status = response.statusCode();
            return new Call(kind, status, TimeUnit.NANOSECONDS.toMillis(end - start), end,
                    response.headers().firstValue("Retry-After").orElse(null),
                    status >= 400 && body != null ? body.getString("type") : null, eventIds,
                    kind.equals("allocation") && status == 201 ? body.getLong("id") : 0);
        } catch (java.io.IOException e) {
            long end = System.nanoTime();
            return new Call(kind, -1, TimeUnit.NANOSECONDS.toMillis(end - start), end, null, e.toString(), eventIds, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void awaitAnswers(List<Call> calls, int successes, String what) {
        await(() -> calls.stream().filter(Call::ok).count() >= successes, Duration.ofSeconds(60), what);
    }

    /** When the first request of a kind sent after {@code since} succeeded. */
    private static long awaitSuccessAfter(List<Call> calls, String kind, long since) {
        await(() -> firstSuccessAfter(calls, kind, since) > 0, RECOVERY_BOUND.plus(ANSWER_BOUND),
                kind + " to succeed again after the database came back");
        return firstSuccessAfter(calls, kind, since);
    }

    private static long firstSuccessAfter(List<Call> calls, String kind, long since) {
        synchronized (calls) {
            return calls.stream().filter(call -> call.kind().equals(kind) && call.ok() && call.endedAtNanos() > since)
                    .mapToLong(Call::endedAtNanos).min().orElse(0);
        }
    }

    private static void await(Supplier<Boolean> condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.get()) {
            assertTrue(System.nanoTime() < deadline, "Waited " + timeout.toSeconds() + " s for " + what);
            pause(50);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
