package io.tracemark.trace.tracing;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;

/**
 * Items' stories read from the item view: a few key look-ups per item (its row, its lot's, and
 * those of the containers it is inside now), never its event history. See docs/item-view.md.
 */
@ApplicationScoped
public class ItemStories {

    private final AgroalDataSource dataSource;

    public ItemStories(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The story of one EPC, with its lot's recalls when lotClass is given. */
    ItemStory of(String epc, String lotClass) {
        try (Connection connection = dataSource.getConnection()) {
            return of(connection, List.of(epc), lotClass).get(epc);
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the item view of " + epc + " failed", e);
        }
    }

    /** The stories of EPCs of one lot (lotClass may be null), read on the caller's connection. */
    Map<String, ItemStory> of(Connection connection, List<String> epcs, String lotClass) {
        return reader(connection).stories(epcs, lotClass);
    }

    /** A reader that keeps the containers and lots it read, for a stream over many items. */
    Reader reader(Connection connection) {
        return new Reader(new ItemViews(connection).new Climb());
    }

    /** Reads chunks of items; containers shared by items of different chunks are read once. */
    static final class Reader {
        private final ItemViews.Climb climb;

        Reader(ItemViews.Climb climb) {
            this.climb = climb;
        }

        /** The recalls of a lot class, as its row holds them. */
        ItemStory lot(String lotClass) {
            climb.read(List.of(lotClass));
            return climb.story(lotClass, null);
        }

        /** The folds of the EPCs' stories ({@link ItemViews.Climb#summary}): what a batch stream lists. */
        Map<String, ItemStory.Summary> summaries(List<String> epcs, String lotClass) {
            if (lotClass != null) {
                climb.read(List.of(lotClass));
            }
            // Most items' folds come from their rows' columns: only the others' steps are read.
            climb.read(epcs, false);
            climb.readStepsForSummaries(epcs, lotClass);
            Map<String, ItemStory.Summary> summaries = new LinkedHashMap<>();
            for (String epc : epcs) {
                summaries.put(epc, climb.summary(epc, lotClass));
            }
            epcs.forEach(climb::forget);
            return summaries;
        }

        private void read(List<String> epcs, String lotClass) {
            List<String> wanted = new ArrayList<>(epcs);
            if (lotClass != null) {
                wanted.add(lotClass);
            }
            climb.read(wanted);
        }

        Map<String, ItemStory> stories(List<String> epcs, String lotClass) {
            read(epcs, lotClass);
            Map<String, ItemStory> stories = new LinkedHashMap<>();
            for (String epc : epcs) {
                stories.put(epc, climb.story(epc, lotClass));
            }
            // Items are read once; containers and the lot stay for the next chunk.
            epcs.forEach(climb::forget);
            return stories;
        }
    }
}
