package io.tracemark.trace.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import at.favre.lib.crypto.bcrypt.BCrypt;

/** Hashing and generation of passwords and station keys; one place for every secret's format. */
public final class Credentials {

    /** Station keys look like {@code tmk_<key id>.<secret>}. */
    public static final String KEY_PREFIX = "tmk_";
    static final int BCRYPT_COST = 11;
    /**
     * A bcrypt hash of the same cost as every stored one, of a random password that was thrown away:
     * an unknown user's password is checked against it, so that the answer takes as long as a wrong
     * password's. A constant rather than a hash made at start: making one costs a tenth of a second
     * of CPU, and more before the JIT has compiled bcrypt, which the first sign-in would wait for.
     */
    static final String UNKNOWN_USER_HASH = "$2a$11$a0dT74RvywpEhiBinYpnpeeYBgarmmP/5vTGWQ.8zSDKCxt7XIPi.";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Credentials() {
    }

    public record StationKey(String keyId, String secret) {
        public String text() {
            return KEY_PREFIX + keyId + "." + secret;
        }

        public static Optional<StationKey> parse(String text) {
            if (text == null || !text.startsWith(KEY_PREFIX)) {
                return Optional.empty();
            }
            int dot = text.indexOf('.', KEY_PREFIX.length());
            if (dot < 0 || dot == text.length() - 1) {
                return Optional.empty();
            }
            return Optional.of(new StationKey(text.substring(KEY_PREFIX.length(), dot), text.substring(dot + 1)));
        }
    }

    public static String hashPassword(String password) {
        return BCrypt.withDefaults().hashToString(BCRYPT_COST, password.toCharArray());
    }

    public static boolean passwordMatches(String password, String hash) {
        return BCrypt.verifyer().verify(password.toCharArray(), hash).verified;
    }

    public static StationKey newStationKey() {
        return new StationKey(randomText(9), randomText(32));
    }

    public static String newPassword() {
        return randomText(18);
    }

    public static String sha256(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    public static boolean sameHash(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    private static String randomText(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random).replace('-', 'x').replace('_', 'y');
    }
}
