package io.tracemark.marker.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tracemark.marker.MarkOrder;
import io.tracemark.marker.pipeline.MarkingRegistry;
import io.tracemark.marker.verify.Grade;

class JournalTest {

    @TempDir
    Path folder;

    private static List<MarkOrder> codes(String... ids) {
        return java.util.Arrays.stream(ids).map(id -> new MarkOrder(id, "http://localhost/01/09506000134352/21/" + id))
                .toList();
    }

    @Test
    void handsOutClaimedCodesInOrderAndRecordsEveryStepForTheService() {
        try (Journal journal = Journal.open(folder, 7)) {
            Journal.PendingClaim claim = journal.newClaim(3);
            journal.claimAnswered(claim, codes("A1", "A2", "A3"));
            assertTrue(journal.pendingClaim().isEmpty());
            assertEquals(3, journal.reserved());

            assertEquals(List.of("A1", "A2"), journal.claim(2).stream().map(MarkOrder::id).toList());
            journal.marked("A1");
            journal.verified("A1", Grade.B);
            journal.voided("A2", "mark failed");

            List<Journal.Step> steps = journal.undelivered(10);
            assertEquals(List.of("A1 MARKED", "A1 VERIFIED", "A2 VOIDED"),
                    steps.stream().map(s -> s.id() + " " + s.state()).toList());
            assertEquals("B", steps.get(1).grade());
            assertEquals("mark failed", steps.get(2).reason());

            journal.delivered(steps.get(1).seq());
            assertEquals(List.of("A2"), journal.undelivered(10).stream().map(Journal.Step::id).toList());
        }
    }

    @Test
    void aRepeatedStepIsRecordedOnceAndAnIllegalOneIsRefused() {
        try (Journal journal = Journal.open(folder, 8)) {
            journal.claimAnswered(journal.newClaim(2), codes("B1", "B2"));
            journal.claim(2);
            journal.marked("B1");
            journal.marked("B1");
            assertEquals(1, journal.undeliveredCount());
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> journal.verified("B2", Grade.A));
            assertTrue(refused.getMessage().contains("cannot move from SENT to VERIFIED"), refused.getMessage());
            assertEquals("SENT", journal.unsettled().stream().filter(u -> u.order().id().equals("B2")).findFirst()
                    .map(u -> u.marked() ? "MARKED" : "SENT").orElseThrow());
            assertEquals(1, journal.undeliveredCount());
        }
    }

    @Test
    void survivesAReopenWithUnsettledCodesPendingClaimsAndTheOutbox() {
        try (Journal journal = Journal.open(folder, 9)) {
            journal.claimAnswered(journal.newClaim(3), codes("C1", "C2", "C3"));
            journal.claim(3);
            journal.marked("C1");
            journal.voided("C3", "doubtful");
            journal.newClaim(50);
        }
        try (Journal reopened = Journal.open(folder, 9)) {
            assertEquals(List.of(new MarkingRegistry.Unsettled(codes("C1").get(0), true),
                    new MarkingRegistry.Unsettled(codes("C2").get(0), false)), reopened.unsettled());
            assertEquals(50, reopened.pendingClaim().orElseThrow().count());
            assertEquals(2, reopened.undeliveredCount());
        }
    }

    @Test
    void voidsTheCodesARunClaimedButNeverUsed() {
        try (Journal journal = Journal.open(folder, 10)) {
            journal.claimAnswered(journal.newClaim(4), codes("D1", "D2", "D3", "D4"));
            journal.claim(1);
            assertEquals(3, journal.voidUnused("run ended"));
            assertEquals(0, journal.reserved());
            assertEquals(3, journal.count("VOIDED"));
            assertEquals(3, journal.undeliveredCount());
        }
    }

    @Test
    void aClaimAnsweredTwiceAfterACrashAddsEachCodeOnce() {
        try (Journal journal = Journal.open(folder, 11)) {
            Journal.PendingClaim claim = journal.newClaim(2);
            journal.claimAnswered(claim, codes("E1", "E2"));
            journal.claimAnswered(claim, codes("E1", "E2"));
            assertEquals(2, journal.reserved());
        }
    }
}
