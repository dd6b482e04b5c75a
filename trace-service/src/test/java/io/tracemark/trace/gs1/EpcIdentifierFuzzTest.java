package io.tracemark.trace.gs1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/** EPC URNs, Digital Link URIs and GS1 keys as EPCIS documents and requests carry them (docs/fuzzing.md). */
class EpcIdentifierFuzzTest {

    /** Where a URN may split a key: the shortest and longest prefixes, and a known one of the seeds. */
    private static final List<CompanyPrefixes> PREFIXES = List.of(new CompanyPrefixes(List.of(), 6),
            new CompanyPrefixes(List.of(), 12), new CompanyPrefixes(List.of("0614141", "9506000"), 9));

    /**
     * Any text is an identifier or refused with an IllegalArgumentException that says why. An
     * identifier reads back the same from its canonical Digital Link and from its EPC URN, whatever
     * company prefix length the URN is written with.
     */
    @FuzzTest
    void anyTextIsAnIdentifierThatReadsBackFromBothSpellingsOrRefusedWithAReason(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();

        EpcIdentifier id;
        try {
            id = EpcIdentifier.parse(text);
        } catch (IllegalArgumentException e) {
            assertNotNull(e.getMessage());
            assertFalse(e.getMessage().isBlank());
            return;
        }

        assertTrue(text.chars().allMatch(c -> c < 0x80), "GS1 identifiers are ASCII, not '" + text + "'");
        String canonical = id.canonical();
        assertTrue(canonical.startsWith(EpcIdentifier.CANONICAL_BASE + "/"), canonical);
        assertEquals(id, EpcIdentifier.parse(canonical), "canonical form of " + text);
        for (CompanyPrefixes prefixes : PREFIXES) {
            String urn = id.urn(prefixes);
            assertTrue(EpcIdentifier.isUrn(urn), urn);
            EpcIdentifier fromUrn = EpcIdentifier.parse(urn);
            assertEquals(id.canonical(), fromUrn.canonical(), "URN " + urn + " of " + text);
            assertEquals(id.kind(), fromUrn.kind(), "URN " + urn + " of " + text);
        }
    }

    /** A GTIN or GLN is accepted exactly when its check digit is right, and the reason given otherwise is one. */
    @FuzzTest
    void keysAreAcceptedExactlyWithTheirCheckDigit(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();

        Optional<String> gtin14 = Gs1Keys.gtin14(text);
        if (gtin14.isPresent()) {
            assertTrue(gtin14.get().matches("\\d{14}"), gtin14.get());
            assertEquals(Gs1Keys.checkDigit(gtin14.get().substring(0, 13)), gtin14.get().charAt(13) - '0');
            assertEquals(gtin14, Gs1Keys.gtin14(gtin14.get()));
        } else {
            assertFalse(Gs1Keys.whyNotGtin(text).isBlank());
        }
        if (Gs1Keys.isGln(text)) {
            assertEquals(Gs1Keys.checkDigit(text.substring(0, 12)), text.charAt(12) - '0');
        } else {
            assertFalse(Gs1Keys.whyNotGln(text).isBlank());
        }
    }
}
