package io.tracemark.trace.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import org.postgresql.PGStatement;

/**
 * Statements that name their rows by an array parameter ({@code where epc = any (?)}), a thousand
 * values at a time, planned by PostgreSQL on each execution.
 *
 * <p>PostgreSQL's driver prepares a statement on the server once it has run it five times, and the
 * server may then keep one plan for it. A plan made while a table was nearly empty (a new database,
 * the first minutes of a load) scans the table whole and goes on scanning it as it grows, comparing
 * every row with every value: 200 ms instead of 3 ms to delete by a thousand keys from 30,000 rows,
 * until autovacuum next analyzes the table. Planned with its values against the table as it stands,
 * such a statement uses the table's index whatever happened before; the planning costs a fraction
 * of a millisecond per thousand values. H2 plans each statement as it runs anyway.
 */
public final class ArrayStatements {

    private ArrayStatements() {
    }

    public static PreparedStatement prepare(Connection connection, String sql) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        if (statement.isWrapperFor(PGStatement.class)) {
            statement.unwrap(PGStatement.class).setPrepareThreshold(0);
        }
        return statement;
    }
}
