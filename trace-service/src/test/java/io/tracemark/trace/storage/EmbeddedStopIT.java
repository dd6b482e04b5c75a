package io.tracemark.trace.storage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tracemark.trace.marking.RunState;

/**
 * The embedded default stopped gracefully (SIGTERM) in the middle of a marking run, as systemd or
 * docker stop it. Runs against the packaged service, in a child process; the power cut is
 * {@link EmbeddedPowerCutIT}, which runs beside this one.
 */
class EmbeddedStopIT {

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
        try (Connection db = ServiceProcess.openDatabase(data); ResultSet row = db.createStatement()
                .executeQuery("select state from marking_run where id = " + run)) {
            assertTrue(row.next());
            assertTrue(RunState.ACTIVE.contains(RunState.valueOf(row.getString(1))),
                    "left for the next start to resume, not failed: " + row.getString(1));
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

}
