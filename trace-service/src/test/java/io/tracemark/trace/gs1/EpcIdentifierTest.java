package io.tracemark.trace.gs1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * EPC URNs and GS1 Digital Links name the same things; the ledger keeps one canonical form, the
 * Digital Link on id.gs1.org. Examples from the GS1 EPC Tag Data Standard and the EPCIS examples.
 */
class EpcIdentifierTest {

    private static final CompanyPrefixes SEVEN_DIGITS = new CompanyPrefixes(List.of(), 7);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ' ', value = {
            "urn:epc:id:sgtin:0614141.812345.400 https://id.gs1.org/01/80614141123458/21/400",
            "urn:epc:id:sgtin:0614141.107346.2017 https://id.gs1.org/01/10614141073464/21/2017",
            "urn:epc:id:sscc:0614141.1234567890 https://id.gs1.org/00/106141412345678908",
            "urn:epc:id:sgln:0614141.12345.400 https://id.gs1.org/414/0614141123452/254/400",
            "urn:epc:id:sgln:0614141.12345.0 https://id.gs1.org/414/0614141123452",
            "urn:epc:id:pgln:0614141.12345 https://id.gs1.org/417/0614141123452",
            "urn:epc:id:grai:0614141.12345.400 https://id.gs1.org/8003/00614141123452400",
            "urn:epc:id:giai:0614141.12345400 https://id.gs1.org/8004/061414112345400",
            "urn:epc:id:gsrn:0614141.1234567890 https://id.gs1.org/8018/061414112345678902",
            "urn:epc:id:gsrnp:0614141.1234567890 https://id.gs1.org/8017/061414112345678902",
            "urn:epc:id:gdti:0614141.12345.400 https://id.gs1.org/253/0614141123452400",
            "urn:epc:class:lgtin:4012345.012345.998877 https://id.gs1.org/01/04012345123456/10/998877",
            "urn:epc:idpat:sgtin:4012345.098765.* https://id.gs1.org/01/04012345987652" })
    void writesAnEpcUrnAsACanonicalDigitalLinkAndBack(String urn, String digitalLink) {
        assertEquals(digitalLink, EpcIdentifier.parse(urn).canonical());
        assertEquals(digitalLink, EpcIdentifier.parse(digitalLink).canonical());
        // Every example has a seven-digit company prefix, so the way back is exact.
        assertEquals(urn, EpcIdentifier.parse(digitalLink).urn(SEVEN_DIGITS));
    }

    @Test
    void readsLocationsWhoseTwelveDigitCompanyPrefixLeavesNoReference() {
        // TDS: with a 12-digit company prefix the location or party reference is empty.
        assertEquals("https://id.gs1.org/414/0614141123452", EpcIdentifier.parse("urn:epc:id:sgln:061414112345..0").canonical());
        assertEquals("https://id.gs1.org/417/0614141123452", EpcIdentifier.parse("urn:epc:id:pgln:061414112345.").canonical());
        CompanyPrefixes twelveDigits = new CompanyPrefixes(List.of("061414112345"), 7);
        assertEquals("urn:epc:id:sgln:061414112345..0",
                EpcIdentifier.parse("https://id.gs1.org/414/0614141123452").urn(twelveDigits));
        assertThrows(IllegalArgumentException.class, () -> EpcIdentifier.parse("urn:epc:id:pgln:061414112345.1"));
    }

    @Test
    void readsDigitalLinksOnAnyHostUnderAnyPathWithShortGtinsAndLots() {
        String canonical = "https://id.gs1.org/01/09506000134352/21/ABC123";
        assertEquals(canonical, EpcIdentifier.parse("https://id.tracemark.example/01/09506000134352/21/ABC123").canonical());
        assertEquals(canonical, EpcIdentifier.parse("http://example.com/shop/01/9506000134352/21/ABC123?linkType=all").canonical());
        // An item's identity is GTIN and serial: the lot in our own codes does not make it another item.
        assertEquals(canonical, EpcIdentifier.parse("https://id.tracemark.example/01/09506000134352/10/L26/21/ABC123").canonical());
        assertEquals(EpcIdentifier.Kind.INSTANCE, EpcIdentifier.parse(canonical).kind());
        assertEquals(EpcIdentifier.Kind.CLASS, EpcIdentifier.parse("https://id.gs1.org/01/09506000134352/10/L26").kind());
        assertEquals(EpcIdentifier.Kind.LOCATION, EpcIdentifier.parse("urn:epc:id:sgln:950611.000001.0").kind());
    }

    @Test
    void escapesSerialCharactersEachSyntaxReserves() {
        EpcIdentifier item = EpcIdentifier.parse("urn:epc:id:sgtin:0614141.812345.A%2FB%26C");
        assertEquals("A/B&C", item.qualifier());
        assertEquals("https://id.gs1.org/01/80614141123458/21/A%2FB&C", item.canonical());
        assertEquals("urn:epc:id:sgtin:0614141.812345.A%2FB%26C", EpcIdentifier.parse(item.canonical()).urn(SEVEN_DIGITS));
    }

    @Test
    void splitsAtAKnownCompanyPrefixAndOtherwiseAtTheDefaultLength() {
        String digitalLink = "https://id.gs1.org/01/09506000134352/21/7";
        assertEquals("urn:epc:id:sgtin:950600.0013435.7",
                EpcIdentifier.parse(digitalLink).urn(new CompanyPrefixes(List.of("950600"), 7)));
        assertEquals("urn:epc:id:sgtin:9506000.013435.7", EpcIdentifier.parse(digitalLink).urn(SEVEN_DIGITS));
        // A guessed split names the same key: it reads back to the same Digital Link.
        assertEquals(digitalLink, EpcIdentifier.parse("urn:epc:id:sgtin:9506000.013435.7").canonical());
        assertThrows(IllegalArgumentException.class, () -> new CompanyPrefixes(List.of(), 13));
        assertThrows(IllegalArgumentException.class, () -> new CompanyPrefixes(List.of("12345"), 7));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ' ', value = {
            "urn:epc:id:sgtin:0614141.11234.400 indicator and item reference",
            "urn:epc:id:sgtin:0614141.112345 dot-separated fields",
            "urn:epc:id:sgtin:061.1123456789.4 company prefix",
            "urn:epc:id:sgtin:0614141.112345.%ZZ %-escape",
            "urn:epc:id:sgtin:0614141.112345.ABCDEFGHIJKLMNOPQRSTU 1 to 20 characters",
            "urn:epc:id:usdod:2S194.12345678901 not a supported EPC URN",
            "urn:epc:idpat:sgtin:0614141.*.* only patterns of one GTIN",
            "https://id.gs1.org/01/09506000134353/21/1 wrong check digit",
            "https://id.gs1.org/00/106141412345678909 wrong check digit",
            "https://id.gs1.org/414/0614141123453 wrong check digit",
            "https://id.gs1.org/01/09506000134352/22/V1/21/1 consumer product variant",
            "https://id.gs1.org/01/09506000134352/17/261231 cannot follow",
            "https://example.com/products/123 no GS1 key",
            "urn:example:thing:1 neither an EPC URN" })
    void namesWhatIsWrongWithAnIdentifier(String text, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EpcIdentifier.parse(text));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    // ---- found by the fuzz test's properties (docs/fuzzing.md); each input is also in EpcIdentifierFuzzTestInputs ----

    @Test
    void aGlnExtensionWithADotReadsBackFromItsUrn() {
        // The fuzzer's first finding: the URN urn:epc:id:sgln:061414.112345..00 split into four fields.
        EpcIdentifier id = EpcIdentifier.parse("https://id.gs1.org/414/0614141123452/254/.00");

        assertEquals(id, EpcIdentifier.parse(id.urn(new CompanyPrefixes(List.of(), 6))));
    }

    @Test
    void aSerialWithADotReadsBackFromItsUrn() {
        EpcIdentifier id = EpcIdentifier.parse("https://id.gs1.org/01/00614141073467/21/a.b");

        String urn = id.urn(SEVEN_DIGITS);

        assertEquals("urn:epc:id:sgtin:0614141.007346.a.b", urn);
        assertEquals(id, EpcIdentifier.parse(urn));
        assertEquals("https://id.gs1.org/8004/0614141A.1",
                EpcIdentifier.parse("urn:epc:id:giai:0614141.A.1").canonical());
    }

    @Test
    void extensionZeroOfAGlnIsNoExtensionInBothSpellings() {
        EpcIdentifier withZero = EpcIdentifier.parse("https://id.gs1.org/414/0614141123452/254/0");

        assertEquals(EpcIdentifier.parse("https://id.gs1.org/414/0614141123452"), withZero);
        assertEquals(withZero, EpcIdentifier.parse(withZero.urn(SEVEN_DIGITS)));
    }

    @Test
    void aCharacterBeyondAsciiBesideAnEscapeIsRefusedNotCutToADigit() {
        // U+0137 cut to a byte is '7', which made this a valid GTIN and this URN a serial "AA".
        IllegalArgumentException gtin = assertThrows(IllegalArgumentException.class,
                () -> EpcIdentifier.parse("https://id.gs1.org/01/%30061414107346\u0137"));
        IllegalArgumentException serial = assertThrows(IllegalArgumentException.class,
                () -> EpcIdentifier.parse("urn:epc:id:sgtin:0614141.107346.%41\u0141"));

        assertTrue(gtin.getMessage().contains("not ASCII"), gtin.getMessage());
        assertTrue(serial.getMessage().contains("not ASCII"), serial.getMessage());
    }
}
