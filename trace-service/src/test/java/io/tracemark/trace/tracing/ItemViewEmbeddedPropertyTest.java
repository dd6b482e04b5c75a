package io.tracemark.trace.tracing;

import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tracemark.trace.storage.EmbeddedDatabase;

/** The same random histories as {@link ItemViewPropertyTest}, on the embedded H2 default. */
@QuarkusTest
@TestProfile(EmbeddedDatabase.ZeroInstall.class)
class ItemViewEmbeddedPropertyTest {

    @Inject
    ItemViewCheck check;

    @TestFactory
    Stream<DynamicTest> theViewTellsWhatTheLedgerTellsForEveryHistory() {
        // H2 runs the same code paths; fewer histories keep the suite's time, -Dhistories=N asks for more.
        return ItemViewPropertyTest.histories(check, 15);
    }
}
