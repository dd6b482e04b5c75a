package io.tracemark.trace.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The demo's closing words count the voided codes by the reasons the registry holds, not by a guess. */
class DemoPrintoutTest {

    private static final String REJECT_GATE = "the item reached the reject gate before it could be released";

    private static List<String> printed(Map<String, Long> stored) {
        DemoReport report = new DemoReport(7, "Demo olive oil 500 ml", "DEMO-1", 48, DemoReport.byReason(stored), 8,
                18, false, 40, "https://id.example.com/01/1/21/A", "https://id.example.com/01/1/21/B",
                "https://id.example.com/01/1/21/C");
        RecordedDemoOutput output = new RecordedDemoOutput();
        new DemoPrintout(output).print(report, "http://localhost:8080", "http://localhost:8080",
                new DemoPrintout.SignIn("admin", "secret"));
        return output.lines();
    }

    private static String voidsLine(List<String> lines) {
        return lines.stream().filter(line -> line.startsWith("Codes voided on the line:")).findFirst()
                .orElseThrow(() -> new AssertionError("no line of voids in " + lines));
    }

    @Test
    void rejectGateVoidsAreReportedAsSuchAndNotAsUnreadableMarks() {
        List<String> lines = printed(Map.of(REJECT_GATE, 21L));
        assertEquals("Codes voided on the line: 21 (" + REJECT_GATE + ": 21).", voidsLine(lines));
        assertFalse(String.join("\n", lines).contains("unreadable"), String.join("\n", lines));
    }

    @Test
    void reasonsWithDetailsAreCountedTogetherTheMostFrequentFirst() {
        Map<String, Long> stored = new LinkedHashMap<>();
        stored.put("verification failed: grade D below the required C", 2L);
        stored.put(REJECT_GATE, 1L);
        stored.put("verification failed: no symbol found", 3L);
        stored.put("doubtful after a fault: neither in the marker's queue nor in its log", 1L);
        assertEquals("Codes voided on the line: 7 (verification failed: 5; doubtful after a fault: 1; "
                + REJECT_GATE + ": 1).", voidsLine(printed(stored)));
    }

    @Test
    void aLineThatVoidedNothingSaysSo() {
        List<String> lines = printed(Map.of());
        assertEquals("Codes voided on the line: none.", voidsLine(lines));
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("each photographed and verified, commissioned,")),
                String.join("\n", lines));
    }
}
