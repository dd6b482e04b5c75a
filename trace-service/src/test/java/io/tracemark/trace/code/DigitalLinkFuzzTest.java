package io.tracemark.trace.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.tracemark.trace.batch.BatchResource;
import io.tracemark.trace.gs1.Gs1Keys;

/** Digital Link URIs and GS1 element strings as a scanned code or a URL delivers them (docs/fuzzing.md). */
class DigitalLinkFuzzTest {

    private static final String[] RESOLVERS = { "https://id.example.com", "https://id.example.com/", "http://localhost:8080",
        "https://example.org/products/" };

    /**
     * Any text is a code or nothing: never an exception. A code has a GTIN-14 with a right check
     * digit, a lot and a serial of 1 to 20 characters that no path separator ends early, and it
     * reads back the same from both of its own spellings.
     */
    @FuzzTest
    void anyTextIsACodeThatReadsBackTheSameOrNothing(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();

        Optional<DigitalLink> parsed = DigitalLink.parse(text);

        parsed.ifPresent(link -> {
            assertEquals(Optional.of(link.gtin14()), Gs1Keys.gtin14(link.gtin14()), text);
            assertTrue(link.serial().matches("[^/?#]{1,20}"), text);
            assertTrue(link.lot() == null || link.lot().matches("[^/?#]{1,20}"), text);
            if (plain(link.serial()) && (link.lot() == null || plain(link.lot()))) {
                for (String resolver : RESOLVERS) {
                    assertEquals(parsed, DigitalLink.parse(link.uri(resolver, true)), "URI of " + text);
                    assertEquals(Optional.of(new DigitalLink(link.gtin14(), null, link.serial())),
                            DigitalLink.parse(link.uri(resolver, false)), "URI without lot of " + text);
                }
                assertEquals(parsed, DigitalLink.parse(link.elementString()), "element string of " + text);
            }
        });
    }

    /** Characters a URI path and an element string both carry as they are. */
    private static boolean plain(String value) {
        return value.matches("[0-9A-Za-z._~!$&'*+,;=:@-]+");
    }

    /** Every code this service issues (lot as a batch allows it, serial as the codec writes it) reads back as issued. */
    @FuzzTest
    void everyIssuedCodeReadsBackFromItsUriAndElementString(FuzzedDataProvider data) {
        String body = String.format("%013d", data.consumeLong(0, 9_999_999_999_999L));
        String gtin14 = body + Gs1Keys.checkDigit(body);
        String lot = data.consumeBoolean() ? null : data.consumeString(20);
        if (lot != null && !lot.matches(BatchResource.LOT_PATTERN)) {
            return;
        }
        StringBuilder serial = new StringBuilder();
        for (int i = 0; i < SerialCodec.LENGTH; i++) {
            serial.append(SerialCodec.ALPHABET.charAt(data.consumeInt(0, SerialCodec.ALPHABET.length() - 1)));
        }
        DigitalLink link = new DigitalLink(gtin14, lot, serial.toString());

        assertEquals(Optional.of(link), DigitalLink.parse(link.uri(data.pickValue(RESOLVERS), true)));
        assertEquals(Optional.of(link), DigitalLink.parse(link.elementString()));
    }
}
