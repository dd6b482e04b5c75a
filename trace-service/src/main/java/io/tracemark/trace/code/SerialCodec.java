package io.tracemark.trace.code;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.OptionalLong;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns registry counters into serials and back (scheme and security argument in
 * docs/serial-scheme.md).
 * <p>
 * A serial is 18 Crockford base32 characters: 14 carry a 70-bit keyed permutation of the counter
 * (a 10-round Feistel network with AES-128 as round function), 4 carry a 20-bit keyed check over
 * those 14. Because the permutation is a bijection of a counter that never repeats, serials are
 * unique by construction; because it is keyed, a serial says nothing about its neighbours; and
 * because of the check characters, and the counter range the permutation must decode into, a
 * forged serial is recognised without any look-up.
 * <p>
 * Bulk derivation runs each Feistel round for the whole batch in one AES call, so a million
 * serials cost eleven passes of AES over 16 MB rather than eleven million cipher invocations.
 */
public final class SerialCodec {

    public static final int LENGTH = 18;
    private static final int COUNTER_BITS = 40;
    public static final long MAX_COUNTER = (1L << COUNTER_BITS) - 1;

    static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final int HALF_BITS = 35;
    private static final long HALF_MASK = (1L << HALF_BITS) - 1;
    private static final int HALF_CHARS = 7;
    private static final int CHECK_BITS = 20;
    private static final int CHECK_CHARS = 4;
    private static final int ROUNDS = 10;
    private static final int BLOCK = 16;
    private static final byte ROUND_TAG = 'P';
    private static final byte CHECK_TAG = 'C';
    private static final int[] DIGIT_OF = digitTable();

    private final SecretKeySpec permutationKey;
    private final SecretKeySpec checkKey;
    private final String fingerprint;

    public SerialCodec(byte[] masterSecret) {
        if (masterSecret == null || masterSecret.length < 16) {
            throw new IllegalArgumentException("the serial key needs at least 16 bytes");
        }
        this.permutationKey = new SecretKeySpec(derive(masterSecret, "tracemark/serial/permutation/v1", 16), "AES");
        this.checkKey = new SecretKeySpec(derive(masterSecret, "tracemark/serial/check/v1", 16), "AES");
        this.fingerprint = HexFormat.of().formatHex(derive(masterSecret, "tracemark/serial/fingerprint/v1", 8));
    }

    public String serialOf(long counter) {
        return serialsOf(counter, 1)[0];
    }

    /** Serials of the counters {@code first … first + count - 1}, in that order. */
    public String[] serialsOf(long first, int count) {
        if (count < 0 || first < 0 || first > MAX_COUNTER || count > MAX_COUNTER - first + 1) {
            throw new IllegalArgumentException("counters " + first + " + " + count + " are outside 0.." + MAX_COUNTER);
        }
        long[] left = new long[count];
        long[] right = new long[count];
        for (int i = 0; i < count; i++) {
            long counter = first + i;
            left[i] = counter >>> HALF_BITS;
            right[i] = counter & HALF_MASK;
        }
        byte[] blocks = new byte[count * BLOCK];
        for (int round = 0; round < ROUNDS; round++) {
            long[] mask = roundFunction(round, right, blocks);
            for (int i = 0; i < count; i++) {
                long next = left[i] ^ mask[i];
                left[i] = right[i];
                right[i] = next;
            }
        }
        long[] checks = checks(left, right, blocks);
        String[] serials = new String[count];
        char[] text = new char[LENGTH];
        for (int i = 0; i < count; i++) {
            writeBase32(left[i], text, 0, HALF_CHARS);
            writeBase32(right[i], text, HALF_CHARS, HALF_CHARS);
            writeBase32(checks[i], text, 2 * HALF_CHARS, CHECK_CHARS);
            serials[i] = new String(text);
        }
        return serials;
    }

    /** The counter a serial was derived from, or empty if this key never issued it. Never throws on junk. */
    public OptionalLong counterOf(String serial) {
        if (serial == null || serial.length() > 4 * LENGTH) {
            return OptionalLong.empty();
        }
        String text = normalize(serial);
        if (text.length() != LENGTH) {
            return OptionalLong.empty();
        }
        long left = readBase32(text, 0, HALF_CHARS);
        long right = readBase32(text, HALF_CHARS, HALF_CHARS);
        long check = readBase32(text, 2 * HALF_CHARS, CHECK_CHARS);
        if (left < 0 || right < 0 || check < 0) {
            return OptionalLong.empty();
        }
        byte[] block = new byte[BLOCK];
        if (checks(new long[] { left }, new long[] { right }, block)[0] != check) {
            return OptionalLong.empty();
        }
        long[] l = { left };
        long[] r = { right };
        for (int round = ROUNDS - 1; round >= 0; round--) {
            long previousRight = l[0];
            long previousLeft = r[0] ^ roundFunction(round, l, block)[0];
            l[0] = previousLeft;
            r[0] = previousRight;
        }
        // The permutation spans 70 bits but counters only 40: a forged payload almost surely
        // decodes to a left half above the five bits a counter can have there.
        if (l[0] >>> (COUNTER_BITS - HALF_BITS) != 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of((l[0] << HALF_BITS) | r[0]);
    }

    /** Canonical spelling: upper case, no separators, and the look-alikes O, I and L read as 0 and 1. */
    public static String normalize(String serial) {
        StringBuilder canonical = new StringBuilder(serial.length());
        for (int i = 0; i < serial.length(); i++) {
            char c = serial.charAt(i);
            // ASCII letters only: Character.toUpperCase would also read the dotless ı as I (so 1) and ſ as S.
            if (c >= 'a' && c <= 'z') {
                c = (char) (c - 'a' + 'A');
            }
            switch (c) {
                case '-', ' ' -> {
                }
                case 'O' -> canonical.append('0');
                case 'I', 'L' -> canonical.append('1');
                default -> canonical.append(c);
            }
        }
        return canonical.toString();
    }

    /** Identifies the key without revealing it, so a changed key can be noticed. */
    public String keyFingerprint() {
        return fingerprint;
    }

    private long[] roundFunction(int round, long[] halves, byte[] blocks) {
        int count = halves.length;
        Arrays.fill(blocks, 0, count * BLOCK, (byte) 0);
        ByteBuffer buffer = ByteBuffer.wrap(blocks);
        for (int i = 0; i < count; i++) {
            int at = i * BLOCK;
            blocks[at] = ROUND_TAG;
            blocks[at + 1] = (byte) round;
            buffer.putLong(at + 8, halves[i]);
        }
        encrypt(permutationKey, blocks, count);
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            out[i] = buffer.getLong(i * BLOCK) >>> (Long.SIZE - HALF_BITS);
        }
        return out;
    }

    private long[] checks(long[] left, long[] right, byte[] blocks) {
        int count = left.length;
        Arrays.fill(blocks, 0, count * BLOCK, (byte) 0);
        ByteBuffer buffer = ByteBuffer.wrap(blocks);
        for (int i = 0; i < count; i++) {
            int at = i * BLOCK;
            // Tag in the top byte; the 70-bit payload below it never reaches that byte.
            buffer.putLong(at, ((long) CHECK_TAG << 56) | (left[i] >>> 29));
            buffer.putLong(at + 8, ((left[i] & ((1L << 29) - 1)) << HALF_BITS) | right[i]);
        }
        encrypt(checkKey, blocks, count);
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            out[i] = buffer.getLong(i * BLOCK) >>> (Long.SIZE - CHECK_BITS);
        }
        return out;
    }

    private static void encrypt(SecretKeySpec key, byte[] blocks, int count) {
        try {
            Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, key);
            aes.doFinal(blocks, 0, count * BLOCK, blocks, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is part of every Java runtime", e);
        }
    }

    private static byte[] derive(byte[] master, String label, int length) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(master, "HmacSHA256"));
            return Arrays.copyOf(hmac.doFinal(label.getBytes(StandardCharsets.US_ASCII)), length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
        }
    }

    private static void writeBase32(long value, char[] text, int at, int chars) {
        for (int i = chars - 1; i >= 0; i--) {
            text[at + i] = ALPHABET.charAt((int) (value & 31));
            value >>>= 5;
        }
    }

    /** The value of {@code chars} base32 characters, or -1 if one is not in the alphabet. */
    private static long readBase32(String text, int at, int chars) {
        long value = 0;
        for (int i = 0; i < chars; i++) {
            char c = text.charAt(at + i);
            int digit = c < DIGIT_OF.length ? DIGIT_OF[c] : -1;
            if (digit < 0) {
                return -1;
            }
            value = (value << 5) | digit;
        }
        return value;
    }

    private static int[] digitTable() {
        int[] table = new int[128];
        Arrays.fill(table, -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            table[ALPHABET.charAt(i)] = i;
        }
        return table;
    }

    @Override
    public String toString() {
        return "SerialCodec[key " + fingerprint + "]";
    }
}
