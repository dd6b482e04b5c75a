package io.tracemark.trace.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tracemark.fixtures.Gs1Numbers;
import io.tracemark.trace.marking.RunState;

/**
 * The embedded default stopped the ways a plant stops it: a graceful stop (SIGTERM) in the middle
 * of a marking run, and a power cut (SIGKILL) in the middle of writes. Runs against the packaged
 * service, in a child process.
 */
class EmbeddedStopIT {

    private static final Gs1Numbers NUMBERS = new Gs1Numbers();
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

    /**
     * A graceful stop settles the running marking run before the database closes: no "Database is
     * already closed" on the way out, and the run is left active, to be resumed by the next start.
     */
    @Test
    void aGracefulStopDuringAMarkingRunSettlesItBeforeTheDatabaseCloses(@TempDir Path folder) throws Exception {
        Path data = folder.resolve("data");
        long run;
        try (ServiceProcess service = ServiceProcess.start(data, "demo", Map.of("TRACEMARK_DEMO", "true",
                "TRACEMARK_DEMO_ITEMS", "960", "TRACEMARK_DEMO_ITEMS_PER_SECOND", "10"))) {
            run = awaitMarking(service);
            int exit = service.terminate();
            assertTrue(exit == 0 || exit == 143, "exit " + exit + ":\n" + service.log());
            String log = service.log();
            assertFalse(log.contains("already closed"), log);
            assertFalse(log.contains("Database is closed"), log);
        }
        try (Connection db = open(data); ResultSet row = db.createStatement()
                .executeQuery("select state from marking_run where id = " + run)) {
            assertTrue(row.next());
            assertTrue(RunState.ACTIVE.contains(RunState.valueOf(row.getString(1))),
                    "left for the next start to resume, not failed: " + row.getString(1));
        }
    }

    /**
     * A power cut in the middle of an allocation: the next start recovers the database by itself,
     * serves, and still holds everything it had acknowledged; the cut allocation is there whole or
     * not at all.
     */
    @Test
    void afterAPowerCutMidWriteTheNextStartRecoversByItself(@TempDir Path folder) throws Exception {
        Path data = folder.resolve("data");
        long batch;
        long acknowledged = 0;
        int cut = 200_000;
        boolean cutAnswered;
        try (ServiceProcess service = ServiceProcess.start(data, "before-cut", Map.of())) {
            batch = batch(service);
            for (int i = 0; i < 3; i++) {
                assertEquals(201, service.post("/api/batches/" + batch + "/codes", "{\"count\":20000}").statusCode());
                acknowledged += 20_000;
            }
            long target = batch;
            CompletableFuture<Integer> inFlight = CompletableFuture.supplyAsync(() -> {
                try {
                    return service.post("/api/batches/" + target + "/codes", "{\"count\":" + cut + "}").statusCode();
                } catch (Exception e) {
                    return -1;
                }
            });
            Thread.sleep(1_500);
            service.kill();
            // On a fast machine the allocation may have been answered before the cut: then it counts.
            cutAnswered = inFlight.join() == 201;
        }
        try (ServiceProcess service = ServiceProcess.start(data, "after-cut", Map.of())) {
            HttpResponse<String> codes = service.get("/api/batches/" + batch + "/codes?size=1");
            assertEquals(200, codes.statusCode(), codes.body());
            Matcher total = Pattern.compile("\"total\"\\s*:\\s*(\\d+)").matcher(codes.body());
            assertTrue(total.find(), codes.body());
            long stored = Long.parseLong(total.group(1));
            long expected = cutAnswered ? acknowledged + cut : acknowledged;
            assertTrue(stored == expected || !cutAnswered && stored == acknowledged + cut,
                    "acknowledged " + expected + ", stored " + stored);
            assertEquals(201, service.post("/api/batches/" + batch + "/codes", "{\"count\":10}").statusCode());
        }
    }

    private static long awaitMarking(ServiceProcess service) throws Exception {
        for (int attempt = 0; attempt < 300; attempt++) {
            HttpResponse<String> runs = service.get("/api/marking-runs?state=RUNNING");
            Matcher marked = Pattern.compile("\"marked\"\\s*:\\s*([1-9]\\d*)").matcher(runs.body());
            Matcher id = ID.matcher(runs.body());
            if (runs.statusCode() == 200 && marked.find() && id.find()) {
                return Long.parseLong(id.group(1));
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("No marking run marked anything:\n" + service.log());
    }

    private static long batch(ServiceProcess service) throws Exception {
        long product = created(service.post("/api/products",
                "{\"gtin\":\"" + NUMBERS.gtin13() + "\",\"name\":\"Cut product\"}"));
        long site = created(service.post("/api/sites",
                "{\"gln\":\"" + NUMBERS.gln() + "\",\"name\":\"Factory\",\"role\":\"factory\"}"));
        long line = created(service.post("/api/sites/" + site + "/lines", "{\"code\":\"L1\",\"name\":\"Line\"}"));
        return created(service.post("/api/batches", "{\"productId\":" + product + ",\"lot\":\"CUT\","
                + "\"productionDate\":\"2026-11-23\",\"lineId\":" + line + ",\"plannedQuantity\":1000000}"));
    }

    private static long created(HttpResponse<String> answer) {
        assertEquals(201, answer.statusCode(), answer.body());
        Matcher id = ID.matcher(answer.body());
        assertTrue(id.find(), answer.body());
        return Long.parseLong(id.group(1));
    }

    private static Connection open(Path data) throws Exception {
        List<String> files = new ArrayList<>();
        try (var listing = Files.list(data)) {
            listing.forEach(file -> files.add(file.getFileName().toString()));
        }
        assertTrue(files.contains("tracemark.mv.db"), files.toString());
        return DriverManager.getConnection("jdbc:h2:file:" + data.toAbsolutePath().resolve("tracemark")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", "tracemark", "");
    }
}
