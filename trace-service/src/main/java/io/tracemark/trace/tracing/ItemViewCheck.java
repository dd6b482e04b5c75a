package io.tracemark.trace.tracing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.tracemark.trace.epcis.ViewCheck;

/**
 * Proves the item view against the ledger: for each EPC, the story the view tells and the one the
 * full trace tells must be the same steps (by ledger row, own or through a container) and the same
 * summary. Lot classes are compared by their recalls.
 */
@ApplicationScoped
public class ItemViewCheck implements ViewCheck {

    /** How many differences an answer lists. */
    static final int LISTED = 20;

    private final AgroalDataSource dataSource;
    private final Tracer tracer;

    public ItemViewCheck(AgroalDataSource dataSource, Tracer tracer) {
        this.dataSource = dataSource;
        this.tracer = tracer;
    }

    @Override
    public Comparison compare(int sample) {
        try (Connection connection = dataSource.getConnection()) {
            // One snapshot for both sides: captures going on meanwhile must not look like differences.
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                return compare(connection, epcs(connection, sample));
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Comparing the item view with the ledger failed", e);
        }
    }

    /** Compares the given EPCs and lot classes only. */
    Comparison compare(List<String> epcs, List<String> classes) {
        List<Named> named = new ArrayList<>();
        epcs.forEach(epc -> named.add(new Named(epc, false)));
        classes.forEach(lot -> named.add(new Named(lot, true)));
        try (Connection connection = dataSource.getConnection()) {
            return compare(connection, named);
        } catch (SQLException e) {
            throw new IllegalStateException("Comparing the item view with the ledger failed", e);
        }
    }

    private record Named(String epc, boolean isClass) {
    }

    /** Every EPC and recalled class the ledger names or the view holds; a reservoir sample of them if asked. */
    private static List<Named> epcs(Connection connection, int sample) throws SQLException {
        String sql = "select epc, false from event_epc union select epc_class, true from event_quantity q"
                + " join event e on e.id = q.event_row where e.disposition = 'recalled' or e.biz_step = 'recalling'"
                + " union select epc, kind = 'class' from item_view";
        List<Named> all = new ArrayList<>();
        Random random = new Random();
        long seen = 0;
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setFetchSize(10_000);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    Named named = new Named(row.getString(1), row.getBoolean(2));
                    seen++;
                    if (sample <= 0 || all.size() < sample) {
                        all.add(named);
                    } else {
                        long slot = (long) (random.nextDouble() * seen);
                        if (slot < sample) {
                            all.set((int) slot, named);
                        }
                    }
                }
            }
        }
        return all;
    }

    private Comparison compare(Connection connection, List<Named> epcs) {
        long mismatched = 0;
        List<Mismatch> first = new ArrayList<>();
        ItemStories.Reader view = new ItemStories(dataSource).reader(connection);
        ItemViews views = new ItemViews(connection);
        try (Tracer.Session session = tracer.over(connection)) {
            for (int from = 0; from < epcs.size(); from += ItemViews.CHUNK) {
                List<Named> chunk = epcs.subList(from, Math.min(epcs.size(), from + ItemViews.CHUNK));
                List<String> items = chunk.stream().filter(named -> !named.isClass()).map(Named::epc).toList();
                session.prefetch(items);
                Map<String, ItemStory> viewed = view.stories(items, null);
                Map<String, ItemStory.Summary> folds = view.summaries(items, null);
                Map<String, ItemView> rows = views.load(chunk.stream().map(Named::epc).toList());
                for (Named named : chunk) {
                    String found;
                    String expected;
                    if (named.isClass()) {
                        found = describe(view.lot(named.epc()));
                        expected = describe(ItemStory.of(session.recalls(named.epc()).stream()
                                .map(event -> ViewStep.of(event, tracer)).toList()));
                    } else {
                        ItemStory traced = ItemStory.of(session.trace(named.epc(), null).stream()
                                .map(event -> ViewStep.of(event, tracer)).toList());
                        // The story, and the fold a batch stream lists (read from the columns where it can be).
                        found = describe(viewed.get(named.epc())) + "; fold " + describe(folds.get(named.epc()));
                        expected = describe(traced) + "; fold " + describe(ItemStory.Summary.of(traced.steps()));
                    }
                    ItemView row = rows.get(named.epc());
                    if (row != null) {
                        // The summary columns, kept step by step, must be the fold of the row's steps.
                        ItemStory.Summary columns = row.summary();
                        ItemStory.Summary folded = ItemStory.Summary.of(row.steps());
                        found += "; columns " + describe(columns);
                        expected += "; columns " + describe(folded);
                    }
                    if (!found.equals(expected)) {
                        mismatched++;
                        if (first.size() < LISTED) {
                            first.add(new Mismatch(named.epc(), found, expected));
                        }
                    }
                }
            }
        }
        return new Comparison(epcs.size(), mismatched, first);
    }

    /**
     * A story as text to compare: each step's row, whether it is the EPC's own, and what it says;
     * then the summary. Which container a shared step was met through is left out: tracing meets it
     * through the first one it follows, the view through the first one it reads.
     */
    static String describe(ItemStory story) {
        StringBuilder text = new StringBuilder();
        for (ViewStep step : story.steps()) {
            text.append(step.row()).append(step.own() ? " own " : " via ").append(step.time().toInstant()).append(' ')
                    .append(step.bizStep()).append(' ').append(step.disposition()).append(' ').append(step.place())
                    .append(' ').append(step.destinationList()).append(' ').append(step.reason()).append("; ");
        }
        ViewStep sale = story.sale();
        return text.append("commissioned ").append(instant(story.commissionedAt())).append(", now ")
                .append(story.disposition()).append(' ').append(story.bizStep()).append(" at ").append(story.location())
                .append(" held by ").append(story.custodian()).append(" since ").append(instant(story.since()))
                .append(", sold ").append(sale == null ? null : sale.row()).append(", recalled ")
                .append(instant(story.recalledAt())).append(' ').append(story.recallReasons()).toString();
    }

    /** A row's summary columns as text to compare. */
    static String describe(ItemStory.Summary columns) {
        return "last " + instant(columns.since()) + " row " + columns.lastRow() + ", commissioned "
                + instant(columns.commissionedAt()) + ", now " + columns.disposition() + " " + columns.bizStep() + " at "
                + columns.location() + " held by " + columns.custodian() + ", sold " + instant(columns.soldAt()) + " at "
                + columns.soldPlace() + ", recalled " + instant(columns.recalledAt());
    }

    private static Object instant(java.time.OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
