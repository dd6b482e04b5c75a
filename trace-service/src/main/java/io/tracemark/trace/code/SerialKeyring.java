package io.tracemark.trace.code;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.tracemark.trace.config.TracemarkConfig;
import io.tracemark.trace.storage.DataFolder;
import io.tracemark.trace.storage.Storage;

/**
 * Provides the serial key. Production takes it from configuration and refuses to start without
 * one; the embedded default generates one into the data folder on first start and keeps it there.
 * Either way the key's fingerprint is pinned in the database, so that a changed key, which would
 * disown every code already issued, stops the service instead of going unnoticed.
 */
@ApplicationScoped
public class SerialKeyring {

    private static final Logger LOG = Logger.getLogger(SerialKeyring.class);
    static final String KEY_FILE = "serial.key";
    static final int GENERATED_KEY_BYTES = 32;

    @Produces
    @Singleton
    SerialCodec serialCodec(TracemarkConfig config, Storage storage, EntityManager entityManager) {
        SerialCodec codec = new SerialCodec(secret(config.codes().secret(), storage.embedded(), config.dataDir()));
        QuarkusTransaction.requiringNew().run(() -> pinFingerprint(entityManager, codec.keyFingerprint()));
        return codec;
    }

    /** Resolves the key at start, so a missing or foreign key stops the service before it serves. */
    void checkAtStart(@Observes StartupEvent event, SerialCodec codec) {
        LOG.infof("Serial key fingerprint %s", codec.keyFingerprint());
    }

    static byte[] secret(Optional<String> configured, boolean embedded, Path dataDir) {
        if (configured.isPresent()) {
            return decode(configured.get());
        }
        if (!embedded) {
            throw new IllegalStateException("No serial key configured: set TRACEMARK_CODES_SECRET "
                    + "(property tracemark.codes.secret) to at least 16 random bytes, base64 or hex. "
                    + "Keep it secret and never change it: every code is derived from it.");
        }
        return embeddedKey(dataDir);
    }

    /** Accepts hex (even length, 0-9a-f) or base64; at least 16 bytes. */
    static byte[] decode(String text) {
        String trimmed = text.strip();
        byte[] key;
        try {
            key = trimmed.matches("(?i)([0-9a-f]{2})+") ? HexFormat.of().parseHex(trimmed.toLowerCase())
                    : Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("tracemark.codes.secret is neither hex nor base64", e);
        }
        if (key.length < 16) {
            throw new IllegalStateException("tracemark.codes.secret has " + key.length
                    + " bytes; at least 16 are required");
        }
        return key;
    }

    private static byte[] embeddedKey(Path dataDir) {
        DataFolder.KeptSecret kept = DataFolder.keep(dataDir, KEY_FILE, () -> DataFolder.randomBase64(GENERATED_KEY_BYTES));
        if (kept.created()) {
            LOG.infof("Generated a new serial key in %s; back it up with the data, codes cannot be checked without it",
                    dataDir.resolve(KEY_FILE));
        }
        return decode(kept.text());
    }

    private static void pinFingerprint(EntityManager em, String fingerprint) {
        @SuppressWarnings("unchecked")
        List<String> known = em.createNativeQuery("select fingerprint from serial_key").getResultList();
        if (known.isEmpty()) {
            em.createNativeQuery("insert into serial_key (fingerprint, first_used) values (?1, ?2)")
                    .setParameter(1, fingerprint).setParameter(2, OffsetDateTime.now()).executeUpdate();
        } else if (!known.contains(fingerprint)) {
            throw new IllegalStateException("The configured serial key (fingerprint " + fingerprint
                    + ") is not the key this registry's codes were issued under (" + String.join(", ", known)
                    + "). Restore the original key; a new key would make every issued code look forged.");
        }
    }
}
