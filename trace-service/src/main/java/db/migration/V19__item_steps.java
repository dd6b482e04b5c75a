package db.migration;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The item view's steps move out of {@code item_view.steps} into rows of their own, one per step
 * and EPC ({@code item_step}).
 *
 * <p>The column held every step of an EPC as one JSON array, so each event rewrote the whole text of
 * each row it named: about ten rewrites of a text growing to a few kilobytes over an item's life,
 * each leaving a dead version behind. A step is now written once, and an event updates the EPC's
 * summary columns only (docs/item-view.md).
 *
 * <p>A Java migration because the two databases Tracemark runs on part ways here: PostgreSQL
 * splits the stored arrays into steps in one statement, so a large ledger's view carries over
 * as it was; the embedded H2 cannot, so its view is emptied and built again from the ledger by the
 * first start of this version, as when the view was new (ItemViewRebuild).
 */
public class V19__item_steps extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        boolean postgres = connection.getMetaData().getDatabaseProductName().startsWith("PostgreSQL");
        try (Statement statement = connection.createStatement()) {
            statement.execute("create table item_step ("
                    + " epc varchar(500) not null,"
                    // The ledger row (event.id) of the event: one step per event and EPC.
                    + " event_row bigint not null,"
                    // StepCodec's JSON object for the step.
                    + " step varchar(100000) not null,"
                    + " primary key (epc, event_row))");
            if (postgres) {
                // Each element of the stored array is one step's object, kept as written (json, not jsonb).
                statement.execute("insert into item_step (epc, event_row, step)"
                        + " select v.epc, (s.value ->> 'r')::bigint, s.value::text"
                        + " from item_view v cross join lateral json_array_elements(v.steps::json) s");
            } else {
                statement.execute("delete from item_view_rebuild");
                statement.execute("delete from item_parent");
                statement.execute("delete from item_view");
            }
            statement.execute("alter table item_view drop column steps");
        }
    }
}
