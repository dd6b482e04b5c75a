package io.tracemark.trace.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import io.tracemark.fixtures.PostgresDatabase;

/**
 * Upgrading a PostgreSQL ledger whose item view held each EPC's steps as one text: the steps become
 * rows of item_step as they were written, and no rebuild is needed (V19__item_steps).
 */
class ItemStepsUpgradeTest {

    private static final String SITE = "https://id.gs1.org/414/9506115668520";
    private static final String EPC = "https://id.gs1.org/01/09506000134352/21/UPGRADE1";

    @Test
    void theStepsAViewHeldBeforeBecomeRowsAsTheyWereWritten() throws SQLException {
        String database = PostgresDatabase.DATABASE + "_upgrade";
        recreate(database);
        String url = PostgresDatabase.HOST_URL + database;
        migrate(url, "18");
        ViewStep commissioning = new ViewStep(7, OffsetDateTime.parse("2026-10-01T10:04:00.250Z"), "+01:00",
                "commissioning", "active", SITE, SITE, null, null, null);
        ViewStep shipping = new ViewStep(9, OffsetDateTime.parse("2026-10-01T14:54:00.123456Z"), "+01:00", "shipping",
                "in_transit", SITE, null, List.of(List.of("owning_party", "https://id.gs1.org/417/9506115668537")),
                "https://id.gs1.org/00/095060007093958360", null);
        try (Connection connection = DriverManager.getConnection(url, PostgresDatabase.USER, "");
                PreparedStatement insert = connection.prepareStatement("insert into item_view (epc, kind, last_time,"
                        + " last_row, biz_step, steps) values (?, 'item', ?, 9, 'shipping', ?)")) {
            insert.setString(1, EPC);
            insert.setObject(2, shipping.time());
            // The text as the view wrote it before: one JSON array, the first step's time as ISO text.
            insert.setString(3, "[{\"r\":7,\"t\":\"2026-10-01T10:04:00.250Z\",\"o\":\"+01:00\",\"s\":\"commissioning\","
                    + "\"d\":\"active\",\"rp\":\"" + SITE + "\",\"bl\":0}," + StepCodec.write(shipping) + "]");
            insert.executeUpdate();
        }

        migrate(url, "latest");

        try (Connection connection = DriverManager.getConnection(url, PostgresDatabase.USER, "")) {
            Map<Long, ViewStep> steps = new TreeMap<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "select event_row, step from item_step where epc = ?")) {
                select.setString(1, EPC);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        steps.put(row.getLong(1), StepCodec.readStep(row.getString(2)));
                    }
                }
            }
            assertEquals(Map.of(7L, commissioning, 9L, shipping), steps);
            try (PreparedStatement columns = connection.prepareStatement("select 1 from information_schema.columns"
                    + " where table_name = 'item_view' and column_name = 'steps'"); ResultSet row = columns.executeQuery()) {
                assertFalse(row.next(), "item_view.steps is gone");
            }
            try (PreparedStatement select = connection.prepareStatement(
                    "select biz_step from item_view where epc = ?")) {
                select.setString(1, EPC);
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    assertEquals("shipping", row.getString(1), "the summary columns stay");
                }
            }
        }
        drop(database);
    }

    private static void migrate(String url, String target) {
        Flyway.configure().dataSource(url, PostgresDatabase.USER, "").locations("classpath:db/migration")
                .target(target).load().migrate();
    }

    private static void recreate(String database) throws SQLException {
        drop(database);
        PostgresDatabase.ensureDatabase(database);
    }

    private static void drop(String database) throws SQLException {
        try (Connection admin = DriverManager.getConnection(PostgresDatabase.HOST_URL + "postgres", PostgresDatabase.USER, "");
                Statement statement = admin.createStatement()) {
            statement.execute("drop database if exists \"" + database + "\"");
        }
    }
}
