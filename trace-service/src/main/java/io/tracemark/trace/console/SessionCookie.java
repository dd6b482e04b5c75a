package io.tracemark.trace.console;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reads when a console session cookie was issued. The form mechanism keeps in its cookie only
 * the user and the moment the cookie lapses (issue time plus the idle timeout), AES-GCM encrypted
 * under the SHA-256 of the session key; the issue time is what tells a cookie from before a
 * sign-out from one after it. An unreadable cookie has no issue time and is refused.
 */
final class SessionCookie {

    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final Duration timeout;

    SessionCookie(String sessionKey, Duration timeout) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sessionKey.getBytes(StandardCharsets.UTF_8));
            this.key = new SecretKeySpec(digest, "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
        this.timeout = timeout;
    }

    Optional<Instant> issuedAt(String cookieValue) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(Base64.getDecoder().decode(cookieValue));
            byte[] iv = new byte[buffer.get()];
            buffer.get(iv);
            byte[] sealed = new byte[buffer.remaining()];
            buffer.get(sealed);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            String plain = new String(cipher.doFinal(sealed), StandardCharsets.UTF_8);
            long lapsesAt = Long.parseLong(plain.substring(0, plain.indexOf(':')));
            return Optional.of(Instant.ofEpochMilli(lapsesAt).minus(timeout));
        } catch (GeneralSecurityException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
