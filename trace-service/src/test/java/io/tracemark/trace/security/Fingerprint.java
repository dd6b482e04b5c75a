package io.tracemark.trace.security;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.tracemark.fixtures.PostgresDatabase;

/**
 * The database seen behind the service's back: for every table of the public schema, its row count
 * and, where it has a numeric {@code id}, the largest one. A refused write must leave it unchanged.
 */
record Fingerprint(Map<String, String> tables) {

    private static String query;

    /** A connection for the whole matrix: hundreds of fingerprints, one session. */
    static Connection connect() {
        try {
            return PostgresDatabase.connect();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static Fingerprint take(Connection db) {
        try (Statement sql = db.createStatement()) {
            if (query == null) {
                query = query(sql);
            }
            Map<String, String> tables = new TreeMap<>();
            try (ResultSet rows = sql.executeQuery(query)) {
                while (rows.next()) {
                    tables.put(rows.getString(1), rows.getLong(2) + " rows, max id " + rows.getString(3));
                }
            }
            return new Fingerprint(tables);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The tables whose figures differ, with both figures. */
    String changesTo(Fingerprint after) {
        return tables.keySet().stream().filter(table -> !tables.get(table).equals(after.tables.get(table)))
                .map(table -> table + ": " + tables.get(table) + " → " + after.tables.get(table))
                .collect(Collectors.joining("; "));
    }

    private static String query(Statement sql) throws SQLException {
        List<String> parts = new ArrayList<>();
        try (ResultSet tables = sql.executeQuery("select c.relname, exists (select 1 from pg_attribute a"
                + " where a.attrelid = c.oid and a.attname = 'id' and a.atttypid in ('int2'::regtype, 'int4'::regtype,"
                + " 'int8'::regtype) and not a.attisdropped) from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                + " where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition order by c.relname")) {
            while (tables.next()) {
                String table = tables.getString(1);
                parts.add("select '" + table + "', count(*), " + (tables.getBoolean(2) ? "max(id)::text" : "null::text")
                        + " from \"" + table + "\"");
            }
        }
        return String.join(" union all ", parts);
    }
}
