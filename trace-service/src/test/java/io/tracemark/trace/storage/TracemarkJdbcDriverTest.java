package io.tracemark.trace.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class TracemarkJdbcDriverTest {

    @Test
    void anchorsRelativeEmbeddedPathsAndLeavesOthersAlone() {
        String absolute = Path.of("data").toAbsolutePath().toString();
        assertEquals("jdbc:h2:file:" + absolute + "/tracemark;MODE=PostgreSQL",
                TracemarkJdbcDriver.anchored("jdbc:h2:file:data/tracemark;MODE=PostgreSQL"));
        assertEquals("jdbc:h2:file:/srv/data/tracemark", TracemarkJdbcDriver.anchored("jdbc:h2:file:/srv/data/tracemark"));
        assertEquals("jdbc:h2:file:./data/t;A=B", TracemarkJdbcDriver.anchored("jdbc:h2:file:./data/t;A=B"));
        assertEquals("jdbc:h2:mem:x", TracemarkJdbcDriver.anchored("jdbc:h2:mem:x"));
    }

    @Test
    void opensEmbeddedFilesOwnerOnlyAndLeavesClosingToTheService() throws Exception {
        Path data = Path.of("target", "driver-test-" + ProcessHandle.current().pid()).toAbsolutePath();
        TracemarkJdbcDriver driver = new TracemarkJdbcDriver();
        assertEquals("jdbc:h2:tracemarkOwnerOnly:retry:" + data + "/t;MODE=PostgreSQL;DB_CLOSE_ON_EXIT=FALSE",
                driver.embedded("jdbc:h2:file:" + data + "/t;MODE=PostgreSQL"));
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(data)), "the folder is created owner-only");
        assertEquals("jdbc:h2:tracemarkOwnerOnly:retry:" + data + "/t;DB_CLOSE_ON_EXIT=TRUE",
                driver.embedded("jdbc:h2:file:" + data + "/t;DB_CLOSE_ON_EXIT=TRUE"), "an explicit choice stays");
        assertEquals("jdbc:h2:mem:x", driver.embedded("jdbc:h2:mem:x"));
    }

    @Test
    void acceptsOnlyTheTwoSupportedDatabases() {
        TracemarkJdbcDriver driver = new TracemarkJdbcDriver();
        assertTrue(driver.acceptsURL("jdbc:postgresql://127.0.0.1:5432/tracemark"));
        assertTrue(driver.acceptsURL("jdbc:h2:file:/tmp/x"));
        assertFalse(driver.acceptsURL("jdbc:mysql://localhost/x"));
        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
                () -> StorageKind.ofJdbcUrl("jdbc:mysql://localhost/x"));
        assertTrue(refusal.getMessage().contains("jdbc:postgresql:"));
    }

    @Test
    void sendsBatchesOfInsertsToPostgresqlAsMultiRowInsertsUnlessTheUrlSaysOtherwise() throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:5432/postgres";
        assertEquals("[-2, -2]", insertTwoRows(url), "rewritten: the driver reports no count per row");
        assertEquals("[1, 1]", insertTwoRows(url + "?reWriteBatchedInserts=false"), "one statement per row");
        Properties off = new Properties();
        off.setProperty("reWriteBatchedInserts", "false");
        assertEquals("false", TracemarkJdbcDriver.postgresProperties(off).getProperty("reWriteBatchedInserts"));
    }

    private static String insertTwoRows(String url) throws Exception {
        Properties info = new Properties();
        info.setProperty("user", System.getenv().getOrDefault("TRACEMARK_TEST_DB_USER", "postgres"));
        try (Connection connection = new TracemarkJdbcDriver().connect(url, info);
                Statement create = connection.createStatement()) {
            create.execute("create temporary table rewrite_probe (n int)");
            try (PreparedStatement insert = connection.prepareStatement("insert into rewrite_probe (n) values (?)")) {
                for (int n = 1; n <= 2; n++) {
                    insert.setInt(1, n);
                    insert.addBatch();
                }
                return Arrays.toString(insert.executeBatch());
            }
        }
    }
}
