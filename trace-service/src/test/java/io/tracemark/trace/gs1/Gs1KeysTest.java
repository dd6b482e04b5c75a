package io.tracemark.trace.gs1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class Gs1KeysTest {

    @Test
    void padsEveryGtinLengthTo14Digits() {
        assertEquals(Optional.of("09506000134352"), Gs1Keys.gtin14("9506000134352"));
        assertEquals(Optional.of("09506000134352"), Gs1Keys.gtin14("09506000134352"));
        assertEquals(Optional.of("00012345678905"), Gs1Keys.gtin14("012345678905"));
        assertEquals(Optional.of("00000096385074"), Gs1Keys.gtin14("96385074"));
    }

    @Test
    void refusesWrongCheckDigitsLengthsAndCharacters() {
        assertEquals(Optional.empty(), Gs1Keys.gtin14("9506000134353"));
        assertEquals(Optional.empty(), Gs1Keys.gtin14("950600013435"));
        assertEquals(Optional.empty(), Gs1Keys.gtin14("95060001343A2"));
        assertEquals(Optional.empty(), Gs1Keys.gtin14(null));
        assertTrue(Gs1Keys.whyNotGtin("9506000134353").contains("expected 2"));
        assertTrue(Gs1Keys.whyNotGtin("12345").contains("not 5"));
    }

    @Test
    void checksGlns() {
        assertTrue(Gs1Keys.isGln("9506000000008"));
        assertFalse(Gs1Keys.isGln("9506000000002"));
        assertFalse(Gs1Keys.isGln("950600000000"));
        assertTrue(Gs1Keys.whyNotGln("9506000000002").contains("expected 8"));
    }
}
