package io.tracemark.trace.code;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

class SerialCodecTest {

    private static final byte[] KEY = new byte[32];
    private static final byte[] OTHER_KEY = new byte[32];
    static {
        for (int i = 0; i < 32; i++) {
            KEY[i] = (byte) i;
            OTHER_KEY[i] = (byte) (100 + i);
        }
    }

    private final SerialCodec codec = new SerialCodec(KEY);

    @Test
    void pinsTheSchemeWithTestVectors() {
        // If these change, every code already etched would stop checking: the scheme is frozen.
        assertEquals(codec.serialOf(0), new SerialCodec(KEY.clone()).serialOf(0));
        String zero = codec.serialOf(0);
        String other = codec.serialOf(12345);
        assertEquals(SerialCodec.LENGTH, zero.length());
        assertEquals(VECTOR_0, zero);
        assertEquals(VECTOR_12345, other);
        assertEquals(FINGERPRINT, codec.keyFingerprint());
    }

    static final String VECTOR_0 = "HVBP90002406MCC9MN";
    static final String VECTOR_12345 = "R5AP7MT6S66WJKRFXK";
    static final String FINGERPRINT = "9c1167a45be541e1";

    @Test
    void roundTripsEdgeAndRandomCounters() {
        Random random = new Random(7);
        long[] counters = { 0, 1, 2, SerialCodec.MAX_COUNTER - 1, SerialCodec.MAX_COUNTER,
                random.nextLong(SerialCodec.MAX_COUNTER), random.nextLong(SerialCodec.MAX_COUNTER) };
        for (long counter : counters) {
            assertEquals(OptionalLong.of(counter), codec.counterOf(codec.serialOf(counter)), "counter " + counter);
        }
    }

    @Test
    void aMillionConsecutiveCountersGiveAMillionDistinctWellFormedSerials() {
        long start = System.nanoTime();
        String[] serials = codec.serialsOf(5_000_000, 1_000_000);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("1,000,000 serials derived in %d ms%n", millis);
        Set<String> distinct = new HashSet<>(serials.length * 2);
        for (String serial : serials) {
            assertTrue(serial.matches("[0-9A-HJKMNP-TV-Z]{18}"), serial);
            distinct.add(serial);
        }
        assertEquals(1_000_000, distinct.size());
        for (int i = 0; i < serials.length; i += 99_991) {
            assertEquals(codec.serialOf(5_000_000L + i), serials[i], "bulk equals one by one");
            assertEquals(OptionalLong.of(5_000_000L + i), codec.counterOf(serials[i]));
        }
    }

    @Test
    void anotherKeyGivesOtherSerialsAndRefusesThese() {
        SerialCodec other = new SerialCodec(OTHER_KEY);
        assertNotEquals(codec.serialOf(42), other.serialOf(42));
        assertNotEquals(codec.keyFingerprint(), other.keyFingerprint());
        int accepted = 0;
        for (String serial : codec.serialsOf(0, 10_000)) {
            accepted += other.counterOf(serial).isPresent() ? 1 : 0;
        }
        assertEquals(0, accepted);
    }

    @Test
    void everySingleSubstitutionAndAdjacentTranspositionIsRejected() {
        for (String serial : codec.serialsOf(1000, 50)) {
            for (int at = 0; at < serial.length(); at++) {
                for (char c : SerialCodec.ALPHABET.toCharArray()) {
                    if (c != serial.charAt(at)) {
                        String typo = serial.substring(0, at) + c + serial.substring(at + 1);
                        assertTrue(codec.counterOf(typo).isEmpty(), typo);
                    }
                }
                if (at + 1 < serial.length() && serial.charAt(at) != serial.charAt(at + 1)) {
                    String swapped = serial.substring(0, at) + serial.charAt(at + 1) + serial.charAt(at)
                            + serial.substring(at + 2);
                    assertTrue(codec.counterOf(swapped).isEmpty(), swapped);
                }
            }
        }
    }

    @Test
    void aMillionRandomSerialsAreAllRecognisedAsForged() {
        Random random = new Random(11);
        char[] text = new char[SerialCodec.LENGTH];
        int accepted = 0;
        for (int n = 0; n < 1_000_000; n++) {
            for (int i = 0; i < text.length; i++) {
                text[i] = SerialCodec.ALPHABET.charAt(random.nextInt(32));
            }
            accepted += codec.counterOf(new String(text)).isPresent() ? 1 : 0;
        }
        assertEquals(0, accepted);
    }

    @Test
    void readsBackHumanSpellings() {
        String serial = codec.serialOf(777);
        String human = serial.toLowerCase().replace('0', 'o').replace('1', 'l');
        assertEquals(OptionalLong.of(777), codec.counterOf(human.substring(0, 6) + "-" + human.substring(6)));
        assertEquals(serial, SerialCodec.normalize(human));
    }

    @Test
    void refusesJunkWithoutThrowing() {
        for (String junk : new String[] { null, "", "ABC", "*".repeat(18), "U".repeat(18),
                codec.serialOf(1) + "0", "é".repeat(18), "x".repeat(10_000) }) {
            assertTrue(codec.counterOf(junk).isEmpty(), String.valueOf(junk));
        }
    }

    @Test
    void refusesCountersOutOfRangeAndShortKeys() {
        assertThrows(IllegalArgumentException.class, () -> codec.serialOf(-1));
        assertThrows(IllegalArgumentException.class, () -> codec.serialOf(SerialCodec.MAX_COUNTER + 1));
        assertThrows(IllegalArgumentException.class, () -> codec.serialsOf(SerialCodec.MAX_COUNTER, 2));
        assertThrows(IllegalArgumentException.class, () -> new SerialCodec(new byte[15]));
    }

    @Test
    void neighboursShareNoVisibleStructure() {
        String[] serials = codec.serialsOf(0, 2_000);
        long differing = 0;
        for (int i = 1; i < serials.length; i++) {
            for (int at = 0; at < 14; at++) {
                differing += serials[i].charAt(at) != serials[i - 1].charAt(at) ? 1 : 0;
            }
        }
        double mean = differing / (double) (serials.length - 1);
        // Independent random characters differ with probability 31/32: about 13.6 of 14.
        assertTrue(mean > 13.0, "mean differing payload characters " + mean);
        assertArrayEquals(serials, codec.serialsOf(0, 2_000), "deterministic");
    }

    @Test
    void lettersBeyondAsciiAreNoSpellingOfASerial() {
        // Character.toUpperCase read the long s (U+017F) as S, and the dotless i (U+0131) as I, so as 1.
        assertEquals(OptionalLong.of(2), codec.counterOf("ZSKYWE2BAMFGXVH1VN"));
        assertEquals(OptionalLong.of(12345), codec.counterOf("R5AP7MT6S66WJKRFXK"));

        assertEquals(OptionalLong.empty(), codec.counterOf("ZSKYWE2BAMFGXVH\u0131VN"));
        assertEquals(OptionalLong.empty(), codec.counterOf("R5AP7MT6\u017F66WJKRFXK"));
    }
}
