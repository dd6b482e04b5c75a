package db.migration;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Leaves room on the item view's pages on PostgreSQL. Every event rewrites the rows of the EPCs it
 * names; with room on the row's page, PostgreSQL writes the new version beside the old one without a
 * new index entry (a HOT update) and prunes the old one when it next reads the page, vacuum or not.
 *
 * <p>A Java migration because the setting is PostgreSQL's own: the embedded H2 has none, and nothing
 * changes there.
 */
public class V19__item_view_fillfactor extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        if (connection.getMetaData().getDatabaseProductName().startsWith("PostgreSQL")) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("alter table item_view set (fillfactor = 70)");
            }
        }
    }
}
