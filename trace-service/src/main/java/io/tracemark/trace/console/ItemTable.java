package io.tracemark.trace.console;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.quarkus.qute.TemplateData;
import io.tracemark.trace.batch.Batch;
import io.tracemark.trace.code.CodeRegistry;
import io.tracemark.trace.tracing.BatchItems;

/**
 * A batch's forward trace one page at a time: the codes of a page are found by counter (a range
 * of the primary key), then traced by {@link BatchItems} over just that range, so a page costs the
 * same in a batch of a hundred items as in one of a million.
 */
@ApplicationScoped
@TemplateData(target = BatchItems.ItemState.class)
public class ItemTable {

    /** A page of rows; {@code next} is the counter the following page starts at, null on the last. */
    @TemplateData
    public record Rows(List<BatchItems.ItemState> items, long from, Long next) {
    }

    private final BatchItems batchItems;
    private final AgroalDataSource dataSource;

    public ItemTable(BatchItems batchItems, AgroalDataSource dataSource) {
        this.batchItems = batchItems;
        this.dataSource = dataSource;
    }

    /** Up to {@code size} items from the code with counter {@code from} on (null: the batch's first). */
    public Rows page(Batch batch, Long from, int size) {
        BatchItems.Label whole = batchItems.label(batch);
        long start = from == null ? whole.span().first() : Math.max(from, whole.span().first());
        List<Long> counters = counters(whole, start, size + 1);
        if (counters.isEmpty()) {
            return new Rows(List.of(), start, null);
        }
        long last = counters.get(Math.min(size, counters.size()) - 1);
        List<BatchItems.ItemState> items = new ArrayList<>(size);
        batchItems.forEach(new BatchItems.Label(whole.id(), whole.gtin(), whole.lot(),
                new CodeRegistry.CounterSpan(start, last)), items::add);
        return new Rows(items, start, counters.size() > size ? counters.get(size) : null);
    }

    private List<Long> counters(BatchItems.Label batch, long start, int limit) {
        String sql = "select counter from code where counter between ? and ? and batch_id = ? order by counter limit ?";
        List<Long> counters = new ArrayList<>(limit);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setLong(1, start);
            select.setLong(2, batch.span().last());
            select.setLong(3, batch.id());
            select.setInt(4, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    counters.add(rows.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the codes of batch " + batch.id() + " failed", e);
        }
        return counters;
    }
}
