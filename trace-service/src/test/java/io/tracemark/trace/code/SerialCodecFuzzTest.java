package io.tracemark.trace.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The serial codec and its offline check (docs/serial-scheme.md, docs/fuzzing.md). The seed corpus
 * holds serials issued under {@link #KEY}, so that mutations start from genuine codes.
 */
class SerialCodecFuzzTest {

    /** The key the seed corpus was issued under; a test key, not a secret. */
    static final byte[] KEY = "tracemark fuzzing key, not a secret".getBytes(StandardCharsets.US_ASCII);
    private static final SerialCodec CODEC = new SerialCodec(KEY);

    /**
     * Whatever text is checked, it passes only when it is a documented spelling (ASCII letters in
     * either case, O for 0, I and L for 1, hyphens and spaces) of the serial issued for the counter
     * it decodes to; junk never throws.
     */
    @FuzzTest
    void theOfflineCheckPassesOnlySpellingsOfIssuedSerials(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();

        OptionalLong counter = CODEC.counterOf(text);

        if (counter.isPresent()) {
            assertTrue(counter.getAsLong() >= 0 && counter.getAsLong() <= SerialCodec.MAX_COUNTER);
            assertEquals(CODEC.serialOf(counter.getAsLong()), SerialCodec.normalize(text), text);
            assertTrue(text.chars().allMatch(c -> c < 0x80), "a serial is ASCII, not '" + text + "'");
        }
    }

    /**
     * Every counter round-trips in one call and in bulk, and no serial with one character changed
     * or two neighbours swapped passes. A changed check character never passes; a changed payload
     * passes only if a 20-bit keyed check and a 30-bit range check both hold by chance, at most
     * 2^-50 per mutant under AES as a pseudo-random function: a billion runs fail falsely with a
     * probability below one in a million.
     */
    @FuzzTest
    void countersRoundTripAndMistypedSerialsFail(FuzzedDataProvider data) {
        long first = data.consumeLong(0, SerialCodec.MAX_COUNTER);
        int count = (int) Math.min(data.consumeInt(1, 8), SerialCodec.MAX_COUNTER - first + 1);
        String[] serials = CODEC.serialsOf(first, count);
        for (int i = 0; i < count; i++) {
            assertEquals(CODEC.serialOf(first + i), serials[i], "bulk and single derivation agree");
            assertTrue(serials[i].matches("[" + SerialCodec.ALPHABET + "]{18}"), serials[i]);
            assertEquals(OptionalLong.of(first + i), CODEC.counterOf(serials[i]));
        }
        String serial = serials[0];
        assertEquals(OptionalLong.of(first), CODEC.counterOf(serial.toLowerCase().substring(0, 5) + "-" + serial.substring(5)));

        int at = data.consumeInt(0, SerialCodec.LENGTH - 1);
        char replacement = SerialCodec.ALPHABET.charAt(data.consumeInt(0, SerialCodec.ALPHABET.length() - 1));
        if (replacement != serial.charAt(at)) {
            String mistyped = serial.substring(0, at) + replacement + serial.substring(at + 1);
            assertEquals(OptionalLong.empty(), CODEC.counterOf(mistyped), mistyped + " passes for " + serial);
        }
        if (at + 1 < SerialCodec.LENGTH && serial.charAt(at) != serial.charAt(at + 1)) {
            char[] swapped = serial.toCharArray();
            swapped[at] = serial.charAt(at + 1);
            swapped[at + 1] = serial.charAt(at);
            assertEquals(OptionalLong.empty(), CODEC.counterOf(new String(swapped)), new String(swapped) + " passes for " + serial);
        }
    }
}
