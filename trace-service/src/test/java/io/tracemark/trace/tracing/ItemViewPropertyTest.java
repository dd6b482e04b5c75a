package io.tracemark.trace.tracing;

import java.util.stream.LongStream;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The item view equals the full trace for every EPC, over random histories on PostgreSQL
 * ({@link ItemViewHistories}). Seeds are fixed, so a run is repeatable; set
 * {@code -Dhistories.seed=N} to replay one, {@code -Dhistories=N} for more.
 */
@QuarkusTest
class ItemViewPropertyTest {

    @Inject
    ItemViewCheck check;

    @TestFactory
    Stream<DynamicTest> theViewTellsWhatTheLedgerTellsForEveryHistory() {
        return histories(check, 30);
    }

    /** The histories of seeds 1 to {@code count} (or of -Dhistories.seed alone, or -Dhistories of them). */
    static Stream<DynamicTest> histories(ItemViewCheck check, int count) {
        ItemViewHistories histories = new ItemViewHistories(
                Story.site("Almazara Jaén", "factory", "Jaén", "ES", 37.77, -3.79),
                Story.site("Tienda Valencia", "retailer", "Valencia", "ES", 39.47, -0.38));
        String one = System.getProperty("histories.seed");
        LongStream seeds = one != null ? LongStream.of(Long.parseLong(one))
                : LongStream.range(1, 1 + Long.getLong("histories", count));
        return seeds.mapToObj(seed -> DynamicTest.dynamicTest("history " + seed, () -> histories.check(seed, check)));
    }
}
