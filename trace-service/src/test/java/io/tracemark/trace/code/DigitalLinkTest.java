package io.tracemark.trace.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class DigitalLinkTest {

    private final DigitalLink link = new DigitalLink("09506000134352", "L7", "7KQ4M2XRT9PZ3CNF6A");

    @Test
    void writesTheUriWithAndWithoutTheLot() {
        assertEquals("https://id.example.com/01/09506000134352/21/7KQ4M2XRT9PZ3CNF6A",
                link.uri("https://id.example.com/", false));
        assertEquals("https://id.example.com/01/09506000134352/10/L7/21/7KQ4M2XRT9PZ3CNF6A",
                link.uri("https://id.example.com", true));
        assertEquals("(01)09506000134352(10)L7(21)7KQ4M2XRT9PZ3CNF6A", link.elementString());
    }

    @Test
    void readsUrisAndElementStringsBack() {
        assertEquals(Optional.of(link), DigitalLink.parse("https://id.example.com/01/09506000134352/10/L7/21/7KQ4M2XRT9PZ3CNF6A"));
        assertEquals(Optional.of(new DigitalLink("09506000134352", null, "ABC")),
                DigitalLink.parse("https://x.org/01/9506000134352/21/ABC?linkType=all"));
        assertEquals(Optional.of(link), DigitalLink.parse("(01)09506000134352(10)L7(21)7KQ4M2XRT9PZ3CNF6A"));
    }

    @Test
    void refusesWrongGtinsAndOtherText() {
        assertTrue(DigitalLink.parse("https://id.example.com/01/09506000134353/21/ABC").isEmpty());
        assertTrue(DigitalLink.parse("https://id.example.com/02/09506000134352/21/ABC").isEmpty());
        assertTrue(DigitalLink.parse("just text").isEmpty());
        assertTrue(DigitalLink.parse(null).isEmpty());
    }

    @Test
    void anElementStringWhoseLotHoldsAPathSeparatorIsNoCodeOfThisService() {
        // Found by DigitalLinkFuzzTest: its URI would have read as lot "" and a different path.
        assertEquals(Optional.empty(), DigitalLink.parse("(01)09506000134352(10)/10/L1(21)SERIAL"));
        assertEquals(Optional.empty(), DigitalLink.parse("(01)09506000134352(21)A/B"));
    }
}
