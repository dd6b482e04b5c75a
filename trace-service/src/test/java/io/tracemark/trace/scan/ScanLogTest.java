package io.tracemark.trace.scan;

import static io.restassured.RestAssured.given;
import static io.tracemark.trace.Api.anonymous;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.fixtures.Gs1Numbers;
import io.tracemark.fixtures.PostgresDatabase;
import io.tracemark.fixtures.TcpRelay;
import io.tracemark.trace.Api;
import io.tracemark.trace.LogCapture;

/**
 * The scan log on the real PostgreSQL: the service's own, fed by concurrent consumers, and logs of
 * the test's own (on a network path the test can cut) for what a full log, an outage, a stop and a
 * scan the database refuses do.
 */
@QuarkusTest
class ScanLogTest {

    /** Scan log settings of a test's own log. */
    record Settings(int maxBatch, Duration maxDelay, int capacity, Duration shutdownTimeout) implements ScanConfig.Log {
    }

    private static final String GTIN = Gs1Numbers.withCheckDigit("0950600000000");
    private static final int CLIENTS = 8;
    private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    @Inject
    ScanLog scanLog;

    @Inject
    MeterRegistry meters;

    @Inject
    ScanConfig config;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void concurrentConsumersScansAreAnsweredHeldAndWrittenByOneInsert() throws Exception {
        String gtin = Api.NUMBERS.gtin13();
        String prefix = prefix();
        int rows = CLIENTS * 25;
        Counts before = settled();
        concurrently(CLIENTS, rows / CLIENTS, (client, i) -> anonymous().accept("application/json")
                .get("/01/" + gtin + "/21/" + prefix + client + "X" + i).then().statusCode(404)
                .body("verdict", equalTo("never_issued")));
        // Answered, and held: fewer than a group, and the test profile's max-delay is an hour.
        assertTrue(rows < config.log().maxBatch());
        assertEquals(0, count(prefix));
        assertEquals(rows, gauge(meters, "tracemark.scan.log.held"));
        assertTrue(gauge(meters, "tracemark.scan.log.oldest.age") > 0);
        scanLog.flush();
        assertEquals(List.of("0" + gtin + " never_issued " + rows), summary(prefix));
        Counts after = counts();
        assertEquals(1, after.groups() - before.groups(), "one INSERT for " + rows + " scans");
        assertEquals(0, after.direct() - before.direct(), "nobody wrote a scan alone");
        assertEquals(0, gauge(meters, "tracemark.scan.log.held"));
        assertEquals(0, gauge(meters, "tracemark.scan.log.oldest.age"));
        given().port(ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class))
                .get("/q/metrics").then().statusCode(200)
                .body(containsString("tracemark_scan_log_held_rows "))
                .body(containsString("tracemark_scan_log_oldest_age_seconds "))
                .body(containsString("tracemark_scan_log_written_rows_total "))
                .body(containsString("tracemark_scan_log_groups_total "))
                .body(containsString("tracemark_scan_log_failures_total "));
    }

    @Test
    void thousandsOfScansFromManyThreadsAreWrittenInFullGroups() throws Exception {
        String prefix = prefix();
        int rows = CLIENTS * 500;
        Counts before = settled();
        concurrently(CLIENTS, rows / CLIENTS, (thread, i) -> scanLog.record(scan(prefix + thread + "X" + i)));
        Counts after = settled();
        assertEquals(List.of(GTIN + " genuine " + rows), summary(prefix));
        // No clock writes in the test profile: every group went out full, the flush found none left.
        assertEquals(0, rows % config.log().maxBatch());
        assertEquals(rows / config.log().maxBatch(), after.groups() - before.groups());
        assertEquals(rows, after.written() - before.written());
    }

    @Test
    void aFullLogHasTheRequestWriteItsOwnScanAndAStopWritesWhatIsHeld() throws Exception {
        SimpleMeterRegistry own = new SimpleMeterRegistry();
        String prefix = prefix();
        // Groups that can never fill and a delay no test waits for: only the stop writes them.
        ScanLog log = new ScanLog(database(PostgresDatabase.HOST_URL), new Settings(100, Duration.ofHours(1), 3,
                Duration.ofSeconds(5)), own);
        try {
            for (int i = 0; i < 3; i++) {
                log.record(scan(prefix + "H" + i));
            }
            assertEquals(3, gauge(own, "tracemark.scan.log.held"));
            assertEquals(0, count(prefix));
            log.record(scan(prefix + "D0"));
            assertEquals(List.of(prefix + "D0"), serials(prefix), "written by its request, before it returned");
            assertEquals(1, counter(own, "tracemark.scan.log.direct"));
            assertTrue(gauge(own, "tracemark.scan.log.oldest.age") > 0);
        } finally {
            log.close();
        }
        assertEquals(4, count(prefix));
        assertEquals(1, counter(own, "tracemark.scan.log.groups"));
        assertEquals(3, counter(own, "tracemark.scan.log.written"));
        assertEquals(0, gauge(own, "tracemark.scan.log.held"));
        // After the stop, a late request still records its scan, itself.
        log.record(scan(prefix + "D1"));
        assertEquals(5, count(prefix));
        assertEquals(2, counter(own, "tracemark.scan.log.direct"));
    }

    @Test
    void aRequestThatFindsTheLogFullWritesItsScanInItsOwnTransaction() throws Exception {
        String prefix = prefix();
        ScanLog log = new ScanLog(dataSource, new Settings(100, Duration.ofHours(1), 1, Duration.ofSeconds(5)),
                new SimpleMeterRegistry());
        try {
            log.record(scan(prefix + "H"));
            // The request's scan goes with its transaction: rolled back with it, committed with it.
            assertThrows(IllegalStateException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
                log.record(scan(prefix + "R"));
                throw new IllegalStateException("the request fails after recording its scan");
            }));
            assertEquals(List.of(), serials(prefix));
            QuarkusTransaction.requiringNew().run(() -> log.record(scan(prefix + "C")));
            assertEquals(List.of(prefix + "C"), serials(prefix));
        } finally {
            log.close();
        }
        assertEquals(List.of(prefix + "C", prefix + "H"), serials(prefix));
    }

    @Test
    void aDatabaseOutageKeepsTheScansLogsOnceAndWritesThemWhenItIsBack() throws Exception {
        SimpleMeterRegistry own = new SimpleMeterRegistry();
        String prefix = prefix();
        URI server = URI.create(PostgresDatabase.HOST_URL.substring("jdbc:".length()));
        try (TcpRelay relay = new TcpRelay(server.getPort()); LogCapture capture = LogCapture.start()) {
            ScanLog log = new ScanLog(database("jdbc:postgresql://127.0.0.1:" + relay.port() + "/"),
                    new Settings(100, Duration.ofMillis(50), 1000, Duration.ofSeconds(5)), own);
            try {
                relay.cut();
                for (int i = 0; i < 5; i++) {
                    log.record(scan(prefix + i));
                }
                await(() -> counter(own, "tracemark.scan.log.failures") >= 3, "three failed attempts");
                assertEquals(5, gauge(own, "tracemark.scan.log.held"));
                assertTrue(gauge(own, "tracemark.scan.log.oldest.age") > 0.1);
                assertEquals(0, count(prefix));
                relay.restore();
                log.flush();
                assertEquals(5, count(prefix));
                assertEquals(0, gauge(own, "tracemark.scan.log.held"));
                assertEquals(0, gauge(own, "tracemark.scan.log.oldest.age"));
                assertEquals(1, counter(own, "tracemark.scan.log.groups"));
                List<LogRecord> began = capture.startingWith("Scans cannot be written (5 held)");
                assertEquals(1, began.size(), () -> "one warning for the whole outage: " + capture.lines());
                assertEquals(Level.WARNING, began.get(0).getLevel());
                assertEquals(1, capture.startingWith("Scans are written again").size(), capture.lines()::toString);
            } finally {
                log.close();
            }
        }
    }

    @Test
    void aStopWhileTheDatabaseIsDownWaitsItsTimeoutThenSaysHowManyScansAreLost() throws Exception {
        String prefix = prefix();
        URI server = URI.create(PostgresDatabase.HOST_URL.substring("jdbc:".length()));
        try (TcpRelay relay = new TcpRelay(server.getPort()); LogCapture capture = LogCapture.start()) {
            ScanLog log = new ScanLog(database("jdbc:postgresql://127.0.0.1:" + relay.port() + "/"),
                    new Settings(100, Duration.ofHours(1), 1000, Duration.ofSeconds(1)), new SimpleMeterRegistry());
            relay.cut();
            for (int i = 0; i < 4; i++) {
                log.record(scan(prefix + i));
            }
            long started = System.nanoTime();
            log.close();
            long took = (System.nanoTime() - started) / 1_000_000;
            assertTrue(took >= 900 && took < 4000, took + " ms");
            assertEquals(1, capture.startingWith("4 scans could not be written before the scan log stopped").size(),
                    capture.lines()::toString);
            // Its request fails rather than answer a scan nobody recorded.
            assertThrows(IllegalStateException.class, () -> log.record(scan(prefix + "late")));
        }
        assertEquals(0, count(prefix));
    }

    @Test
    void aScanTheDatabaseRefusesIsDroppedAloneWithAnErrorAndTheRestOfItsGroupWritten() throws Exception {
        SimpleMeterRegistry own = new SimpleMeterRegistry();
        String prefix = prefix();
        try (LogCapture capture = LogCapture.start()) {
            ScanLog log = new ScanLog(database(PostgresDatabase.HOST_URL), new Settings(4, Duration.ofHours(1), 100,
                    Duration.ofSeconds(5)), own);
            try {
                log.record(scan(prefix + "A"));
                log.record(scan(prefix + "B"));
                // Longer than the column takes: a bug upstream, not something to retry forever.
                log.record(scan(prefix + "C".repeat(30)));
                log.record(scan(prefix + "D"));
                log.flush();
            } finally {
                log.close();
            }
            assertEquals(List.of(prefix + "A", prefix + "B", prefix + "D"), serials(prefix));
            assertEquals(1, counter(own, "tracemark.scan.log.rejected"));
            assertEquals(0, gauge(own, "tracemark.scan.log.held"));
            assertEquals(1, capture.startingWith("The database refuses a scan, which is dropped").size(),
                    capture.lines()::toString);
        }
    }

    @Test
    void settingsOutsideWhatTheDatabaseTakesAreRefusedNamingTheSetting() {
        DataSource none = database(PostgresDatabase.HOST_URL);
        IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class, () -> new ScanLog(none,
                new Settings(10_000, Duration.ofSeconds(1), 100, Duration.ofSeconds(1)), new SimpleMeterRegistry()));
        assertTrue(tooBig.getMessage().startsWith("tracemark.scan.log.max-batch must be between 1 and 9362"),
                tooBig.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ScanLog(none,
                new Settings(1, Duration.ofSeconds(1), 0, Duration.ofSeconds(1)), new SimpleMeterRegistry()));
    }

    /** The service's scan log's counters at one moment. */
    private record Counts(double groups, double written, double direct) {
    }

    private Counts counts() {
        return new Counts(counter(meters, "tracemark.scan.log.groups"), counter(meters, "tracemark.scan.log.written"),
                counter(meters, "tracemark.scan.log.direct"));
    }

    /** The service's scan log once a flush has written all it held, and its counters then. */
    private Counts settled() {
        scanLog.flush();
        return counts();
    }

    /** What one thread does for its i-th scan. */
    private interface Step {
        void run(int thread, int i);
    }

    /** Runs the step {@code each} times on each of {@code threads} threads at once. */
    private static void concurrently(int threads, int each, Step step) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                running.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        step.run(thread, i);
                    }
                }));
            }
            for (Future<?> done : running) {
                done.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** A serial prefix no other test run uses: 8 characters of the 20 a serial may have. */
    private static String prefix() {
        return "L" + Long.toString(SERIALS.incrementAndGet(), 36).toUpperCase();
    }

    private static ScanRecord scan(String serial) {
        return new ScanRecord(serial, GTIN, OffsetDateTime.now(ZoneOffset.UTC), new BigDecimal("41.4"),
                new BigDecimal("2.2"), "ES", "genuine");
    }

    /** The test database, as the scan log of the test's own reaches it: through a relay, or directly. */
    private static DataSource database(String serverUrl) {
        URI server = URI.create(serverUrl.substring("jdbc:".length()));
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setServerNames(new String[] { server.getHost() });
        source.setPortNumbers(new int[] { server.getPort() });
        source.setDatabaseName(PostgresDatabase.DATABASE);
        source.setUser(PostgresDatabase.USER);
        source.setConnectTimeout(2);
        source.setSocketTimeout(10);
        return source;
    }

    private static double counter(MeterRegistry registry, String name) {
        return registry.get(name).counter().count();
    }

    private static double gauge(MeterRegistry registry, String name) {
        return registry.get(name).gauge().value();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "waited 20 s for " + what);
            Thread.sleep(20);
        }
    }

    private static long count(String prefix) throws SQLException {
        return serials(prefix).size();
    }

    private static List<String> serials(String prefix) throws SQLException {
        return query("select serial from scan where serial like ? order by serial", prefix);
    }

    /** "gtin verdict count" per GTIN and verdict of the scans whose serial starts with the prefix. */
    private static List<String> summary(String prefix) throws SQLException {
        return query("select gtin || ' ' || verdict || ' ' || count(*) from scan where serial like ?"
                + " group by gtin, verdict order by 1", prefix);
    }

    private static List<String> query(String sql, String prefix) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection db = PostgresDatabase.connect(); PreparedStatement select = db.prepareStatement(sql)) {
            select.setString(1, prefix + "%");
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    rows.add(row.getString(1));
                }
            }
        }
        return rows;
    }
}
