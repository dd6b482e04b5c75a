package io.tracemark.trace.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/**
 * Statements by an array of keys are planned on each execution on PostgreSQL: never prepared on
 * the server, where a plan made while the table was small would be kept as it grows.
 */
class ArrayStatementsTest {

    @Test
    void arrayStatementsAreNeverPreparedOnTheServerWhereOthersAre() throws Exception {
        Properties info = new Properties();
        info.setProperty("user", System.getenv().getOrDefault("TRACEMARK_TEST_DB_USER", "postgres"));
        try (Connection connection = new TracemarkJdbcDriver().connect("jdbc:postgresql://127.0.0.1:5432/postgres", info);
                Statement create = connection.createStatement()) {
            create.execute("create temporary table array_probe (n int primary key)");
            Array keys = connection.createArrayOf("int4", new Integer[] { 1, 2, 3 });
            try (PreparedStatement usual = connection.prepareStatement("select count(*) from array_probe where n = any (?)");
                    PreparedStatement planned = ArrayStatements.prepare(connection,
                            "select count(*) from array_probe where n >= 0 and n = any (?)")) {
                for (int run = 0; run < 10; run++) {
                    for (PreparedStatement statement : new PreparedStatement[] { usual, planned }) {
                        statement.setArray(1, keys);
                        statement.executeQuery().close();
                    }
                }
            }
            assertEquals(1, preparedOnServer(connection, "where n = any"), "the driver prepares a statement run often");
            assertEquals(0, preparedOnServer(connection, "where n >= 0 and n = any"), "not an array statement");
        }
    }

    private static int preparedOnServer(Connection connection, String text) throws Exception {
        try (PreparedStatement select = connection.prepareStatement(
                "select count(*) from pg_prepared_statements where statement like ?")) {
            select.setString(1, "%array_probe " + text + "%");
            try (ResultSet count = select.executeQuery()) {
                count.next();
                return count.getInt(1);
            }
        }
    }
}
