package io.tracemark.trace.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

import io.tracemark.fixtures.Gs1Numbers;
import io.tracemark.trace.storage.ServiceProcess;

/**
 * The packaged service on the embedded default, stopped gracefully (SIGTERM) while its scan log
 * holds every scan it answered: the stop writes them all before the database closes.
 */
class ScanLogStopIT {

    private static final int SCANS = 120;
    private static final Pattern HELD = Pattern.compile("(?m)^tracemark_scan_log_held_rows(?:\\{[^}]*})? (\\S+)$");

    @Test
    void aGracefulStopWritesEveryAnsweredScanBeforeTheDatabaseCloses(@TempDir Path folder) throws Exception {
        Path data = folder.resolve("data");
        String gtin = Gs1Numbers.withCheckDigit("0950600999999");
        // Nothing is written before the stop: groups larger than the scans, a delay no test waits for.
        try (ServiceProcess service = ServiceProcess.start(data, "scan-log", Map.of(
                "TRACEMARK_SCAN_RATE_LIMIT_ENABLED", "false",
                "TRACEMARK_SCAN_LOG_MAX_BATCH", "1000",
                "TRACEMARK_SCAN_LOG_MAX_DELAY", "1h"))) {
            for (int i = 0; i < SCANS; i++) {
                HttpResponse<String> answer = service.get("/01/" + gtin + "/21/STOP" + i);
                assertEquals(404, answer.statusCode(), answer.body());
                assertTrue(answer.body().contains("\"never_issued\""), answer.body());
            }
            Matcher held = HELD.matcher(service.metrics());
            assertTrue(held.find(), "the held-scans gauge is published");
            assertEquals(SCANS, Double.parseDouble(held.group(1)), "every answered scan is held, none written yet");
            int exit = service.terminate();
            assertTrue(exit == 0 || exit == 143, "exit " + exit + ":\n" + service.log());
            String log = service.log();
            assertFalse(log.contains("already closed"), log);
            assertFalse(log.contains("Database is closed"), log);
            assertFalse(log.contains("could not be written"), log);
        }
        try (Connection db = ServiceProcess.openDatabase(data); ResultSet row = db.createStatement().executeQuery(
                "select count(*), count(distinct id) from scan where serial like 'STOP%' and verdict = 'never_issued'"
                        + " and gtin = '" + gtin + "'")) {
            assertTrue(row.next());
            assertEquals(SCANS, row.getInt(1), "scans written by the stop");
            assertEquals(SCANS, row.getInt(2), "each with an id of its own");
        }
    }
}
