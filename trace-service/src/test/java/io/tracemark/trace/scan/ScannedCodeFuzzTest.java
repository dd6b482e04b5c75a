package io.tracemark.trace.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Optional;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.tracemark.trace.code.DigitalLink;
import io.tracemark.trace.gs1.Gs1Keys;

/** What a decoded QR code or Data Matrix may hold, read as a code of this service (docs/fuzzing.md). */
class ScannedCodeFuzzTest {

    /**
     * Any decoded text is a code or nothing, never an exception; a code's path on this service is a
     * valid URI that names the same code again, so the scan page it leads to is the code's own.
     */
    @FuzzTest
    void anyDecodedTextIsACodeWhosePathNamesItAgainOrNothing(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();

        Optional<DigitalLink> code = ScannedCode.parse(text);
        boolean ours = ScannedCode.onHost(text, "id.example.com", "localhost");

        if (!text.strip().toLowerCase().startsWith("http")) {
            assertTrue(ours, "element strings name no host");
        }
        code.ifPresent(link -> {
            assertEquals(Optional.of(link.gtin14()), Gs1Keys.gtin14(link.gtin14()), text);
            URI path = URI.create(ScannedCode.path(link));
            assertEquals(code, DigitalLink.parse("https://id.example.com" + path), "the path of " + text);
        });
    }
}
