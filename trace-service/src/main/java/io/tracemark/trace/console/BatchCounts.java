package io.tracemark.trace.console;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;


import io.agroal.api.AgroalDataSource;
import io.tracemark.trace.batch.Batch;
import io.tracemark.trace.tracing.BatchItems;

/**
 * Where a batch went, counted: items by their last place and by their state, for the console's
 * chart, and how far a recall of the batch has got. Counting reads every item of the batch from
 * the item view, as its CSV export does, so an answer is reused while the ledger holds no new event
 * (and for at most {@code tracemark.console.counts-max-age}); one count per batch runs at a time.
 */
@ApplicationScoped
public class BatchCounts {

    /** Bizsteps that bring a recalled item back out of circulation; see docs/console.md. */
    static final Set<String> RETURNING_STEPS = Set.of("receiving", "decommissioning", "destroying");
    static final String NO_PLACE = "no place recorded";
    /** Only commissioned codes are items in circulation; the rest never left the line. */
    static final String COMMISSIONED = "COMMISSIONED";

    /** One bar of a chart. */
    public record Bar(String label, long count) {
    }

    /**
     * A recall of the batch and its progress. {@code recalled}: items the recall reaches (every
     * commissioned item of the lot); {@code located}: of these, those whose last place is known;
     * {@code sold}: those sold to consumers; {@code returned}: those whose latest event, later
     * than the recall, is a receiving, decommissioning or destroying.
     */
    public record Recall(OffsetDateTime at, List<String> reasons, long recalled, long located, long sold,
            long returned) {
    }

    /** The counts of one batch; {@code recall} is null while the batch was never recalled. */
    public record Counts(long batchId, long items, List<Bar> byState, List<Bar> bySite, Recall recall,
            OffsetDateTime countedAt) {
    }

    private record Cached(long ledgerEvents, Counts counts) {
    }

    private final BatchItems batchItems;
    private final AgroalDataSource dataSource;
    private final ConsoleConfig config;
    private final Map<Long, Cached> cache = new ConcurrentHashMap<>();
    private final Map<Long, Object> counting = new ConcurrentHashMap<>();

    public BatchCounts(BatchItems batchItems, AgroalDataSource dataSource, ConsoleConfig config) {
        this.batchItems = batchItems;
        this.dataSource = dataSource;
        this.config = config;
    }

    /** The batch's counts, fresh unless nothing was captured since the last count. */
    public Counts of(Batch batch) {
        long ledgerEvents = ledgerEvents();
        BatchItems.Label label = batchItems.label(batch);
        // Callers of the same batch wait for the count under way and take its answer; other batches count apart.
        synchronized (counting.computeIfAbsent(batch.id, id -> new Object())) {
            Cached cached = cache.get(batch.id);
            if (fresh(cached, ledgerEvents)) {
                return cached.counts();
            }
            Counts counts = count(label);
            cache.put(batch.id, new Cached(ledgerEvents, counts));
            return counts;
        }
    }

    private boolean fresh(Cached cached, long ledgerEvents) {
        return cached != null && cached.ledgerEvents() == ledgerEvents && cached.counts().countedAt()
                .plus(config.countsMaxAge()).isAfter(OffsetDateTime.now(ZoneOffset.UTC));
    }

    private Counts count(BatchItems.Label label) {
        BatchItems.LotRecall lotRecall = batchItems.recall(label);
        Map<String, Long> byState = new TreeMap<>();
        Map<String, Long> bySite = new TreeMap<>();
        long[] tally = new long[5];
        batchItems.forEach(label, item -> {
            tally[0]++;
            byState.merge(state(item), 1L, Long::sum);
            bySite.merge(item.locationName() != null ? item.locationName()
                    : item.locationGln() != null ? "GLN " + item.locationGln() : NO_PLACE, 1L, Long::sum);
            if (item.recalled() && COMMISSIONED.equals(item.codeState())) {
                tally[1]++;
                tally[2] += item.locationGln() != null ? 1 : 0;
                tally[3] += item.soldAt() != null ? 1 : 0;
                tally[4] += RETURNING_STEPS.contains(item.bizStep()) ? 1 : 0;
            }
        });
        Recall recall = lotRecall == null ? null
                : new Recall(lotRecall.at(), lotRecall.reasons(), tally[1], tally[2], tally[3], tally[4]);
        return new Counts(label.id(), tally[0], bars(byState), bars(bySite), recall, OffsetDateTime.now(ZoneOffset.UTC));
    }

    /** An item's state for the chart: its last disposition, or its code's state before any event. */
    static String state(BatchItems.ItemState item) {
        return item.disposition() != null ? item.disposition() : "code " + item.codeState().toLowerCase();
    }

    private static List<Bar> bars(Map<String, Long> counts) {
        List<Bar> bars = new ArrayList<>();
        counts.forEach((label, count) -> bars.add(new Bar(label, count)));
        bars.sort(Comparator.comparingLong(Bar::count).reversed());
        return bars;
    }

    /** The newest event's row: it grows with every capture, and the primary key answers it at once. */
    private long ledgerEvents() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("select coalesce(max(id), 0) from event");
                ResultSet row = select.executeQuery()) {
            return row.next() ? row.getLong(1) : 0;
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the newest event of the ledger failed", e);
        }
    }
}
