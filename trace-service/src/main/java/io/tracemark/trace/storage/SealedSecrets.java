package io.tracemark.trace.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.tracemark.trace.config.TracemarkConfig;

/**
 * Encrypts the secrets the service must keep readable for itself, such as the password a marker's
 * MQTT broker asks for, so that a copy of the database or of its files does not give them away.
 * AES-256-GCM with a random nonce per value; the stored text is {@code v1:} and the base64 of
 * nonce and ciphertext, the prefix naming the key generation so that a later key can be added
 * beside this one. The key comes from TRACEMARK_SECRETS_KEY, or on the embedded default from a
 * file generated into the data folder, as the serial key is.
 */
@ApplicationScoped
public class SealedSecrets {

    private static final Logger LOG = Logger.getLogger(SealedSecrets.class);
    static final String KEY_FILE = "secrets.key";
    static final String SEALED = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String CIPHER = "AES/GCM/NoPadding";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Keeps the AES key apart from any other use the configured secret might have. */
    private static final byte[] KEY_PURPOSE = "tracemark stored secrets v1".getBytes(StandardCharsets.US_ASCII);

    private final Optional<SecretKey> key;

    public SealedSecrets(TracemarkConfig config, Storage storage) {
        this.key = config.secrets().key().map(SealedSecrets::configured)
                .or(() -> storage.embedded() ? Optional.of(kept(config.dataDir())) : Optional.empty());
    }

    /** Whether secrets can be stored: a key is configured, or kept in the embedded default's data folder. */
    public boolean available() {
        return key.isPresent();
    }

    /** Why a secret cannot be stored on this service; shown to whoever tries. */
    public static String unavailableReason() {
        return "cannot be stored: this service has no key to encrypt secrets with; its operator sets "
                + "TRACEMARK_SECRETS_KEY (at least 16 random bytes, hex or base64)";
    }

    /** The stored form of {@code secret}; null stays null. */
    public String seal(String secret) {
        if (secret == null) {
            return null;
        }
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.ENCRYPT_MODE, requireKey(), new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return SEALED + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot encrypt a secret", e);
        }
    }

    /** The secret behind a stored form made by {@link #seal}; null stays null. */
    public String open(String stored) {
        if (stored == null) {
            return null;
        }
        if (!isSealed(stored)) {
            throw new IllegalStateException("A stored secret is not in the encrypted form " + SEALED);
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(stored.substring(SEALED.length()));
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.DECRYPT_MODE, requireKey(), new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            return new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("A stored secret cannot be decrypted with the configured "
                    + "TRACEMARK_SECRETS_KEY: it was encrypted under another key, or altered", e);
        }
    }

    public static boolean isSealed(String stored) {
        return stored != null && stored.startsWith(SEALED);
    }

    private SecretKey requireKey() {
        return key.orElseThrow(() -> new IllegalStateException("A secret " + unavailableReason()));
    }

    private static SecretKey kept(Path dataDir) {
        DataFolder.KeptSecret kept = DataFolder.keep(dataDir, KEY_FILE, () -> DataFolder.randomBase64(32));
        if (kept.created()) {
            LOG.infof("Generated a new key for stored secrets in %s; back it up with the data",
                    dataDir.resolve(KEY_FILE));
        }
        return derived(Base64.getDecoder().decode(kept.text()));
    }

    /** TRACEMARK_SECRETS_KEY in hex or base64, at least 16 bytes. */
    static SecretKey configured(String text) {
        String trimmed = text.strip();
        byte[] secret;
        try {
            secret = trimmed.matches("(?i)([0-9a-f]{2})+") ? HexFormat.of().parseHex(trimmed)
                    : Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("TRACEMARK_SECRETS_KEY (tracemark.secrets.key) is neither hex nor base64");
        }
        if (secret.length < 16) {
            throw new IllegalStateException("TRACEMARK_SECRETS_KEY (tracemark.secrets.key) has " + secret.length
                    + " bytes; at least 16 random bytes are required");
        }
        return derived(secret);
    }

    private static SecretKey derived(byte[] secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return new SecretKeySpec(mac.doFinal(KEY_PURPOSE), "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot derive the key for stored secrets", e);
        }
    }
}
