package io.tracemark.trace.code;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
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
 * Provides the serial keys. Production takes them from configuration (the current key, plus the
 * retired ones) and refuses to start without one; the embedded default generates one into the
 * data folder on first start and keeps it there, retired keys on the lines after it. Every key's
 * fingerprint is pinned in the database and every allocation records the key it used, so that a
 * key set that would disown issued codes stops the service instead of going unnoticed.
 */
@ApplicationScoped
public class SerialKeyring {

    private static final Logger LOG = Logger.getLogger(SerialKeyring.class);
    static final String KEY_FILE = "serial.key";
    static final int GENERATED_KEY_BYTES = 32;

    @Produces
    @Singleton
    SerialKeys serialKeys(TracemarkConfig config, Storage storage, EntityManager entityManager) {
        SerialKeys keys = keys(secrets(config.codes().secret(), config.codes().previousSecrets(), storage.embedded(),
                config.dataDir()));
        QuarkusTransaction.requiringNew().run(() -> pin(entityManager, keys));
        return keys;
    }

    /** Resolves the keys at start, so a missing or dropped key stops the service before it serves. */
    void checkAtStart(@Observes StartupEvent event, SerialKeys keys) {
        LOG.infof("Serial key fingerprint %s issues new codes; %d key(s) check codes: %s",
                keys.current().keyFingerprint(), keys.all().size(), String.join(", ", keys.fingerprints()));
    }

    static SerialKeys keys(List<byte[]> secrets) {
        return new SerialKeys(secrets.stream().map(SerialCodec::new).toList());
    }

    /** The key secrets, current first. */
    static List<byte[]> secrets(Optional<String> configured, Optional<List<String>> previous, boolean embedded,
            Path dataDir) {
        List<byte[]> secrets = new ArrayList<>();
        if (configured.isPresent()) {
            secrets.add(decode(configured.get()));
        } else if (embedded) {
            secrets.addAll(embeddedKeys(dataDir));
        } else {
            throw new IllegalStateException("No serial key configured: set TRACEMARK_CODES_SECRET "
                    + "(property tracemark.codes.secret) to at least 16 random bytes, base64 or hex. "
                    + "Keep it secret and keep every key that issued codes: every code is derived from one.");
        }
        previous.orElse(List.of()).stream().filter(text -> !text.isBlank()).map(SerialKeyring::decode)
                .forEach(secrets::add);
        return secrets;
    }

    /** Accepts hex (even length, 0-9a-f) or base64; at least 16 bytes. */
    static byte[] decode(String text) {
        String trimmed = text.strip();
        byte[] key;
        try {
            key = trimmed.matches("(?i)([0-9a-f]{2})+") ? HexFormat.of().parseHex(trimmed.toLowerCase())
                    : Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("A serial key (tracemark.codes.secret or previous-secrets) is neither "
                    + "hex nor base64", e);
        }
        if (key.length < 16) {
            throw new IllegalStateException("A serial key (tracemark.codes.secret or previous-secrets) has "
                    + key.length + " bytes; at least 16 are required");
        }
        return key;
    }

    /** The key file's lines: the current key first, then retired ones (see docs/security.md on rotation). */
    private static List<byte[]> embeddedKeys(Path dataDir) {
        DataFolder.KeptSecret kept = DataFolder.keep(dataDir, KEY_FILE, () -> DataFolder.randomBase64(GENERATED_KEY_BYTES));
        if (kept.created()) {
            LOG.infof("Generated a new serial key in %s; back it up with the data, codes cannot be checked without it",
                    dataDir.resolve(KEY_FILE));
        }
        List<byte[]> keys = kept.text().lines().map(String::strip).filter(line -> !line.isEmpty())
                .map(SerialKeyring::decode).toList();
        if (keys.isEmpty()) {
            throw new IllegalStateException(dataDir.resolve(KEY_FILE) + " holds no serial key");
        }
        return keys;
    }

    /**
     * Pins every key's fingerprint, and refuses a key set that leaves out a key which issued codes:
     * without it those codes would look forged. A pinned key that never issued a code may go.
     */
    static void pin(EntityManager em, SerialKeys keys) {
        List<String> configured = keys.fingerprints();
        @SuppressWarnings("unchecked")
        List<String> issuing = em.createNativeQuery("select distinct key_fingerprint from code_allocation")
                .getResultList();
        List<String> dropped = issuing.stream().filter(fingerprint -> !configured.contains(fingerprint)).toList();
        if (!dropped.isEmpty()) {
            throw new IllegalStateException("The serial key(s) with fingerprint " + String.join(", ", dropped)
                    + " issued codes in this registry but are not among the configured keys (" + String.join(", ",
                            configured) + "). Add them back as retired keys (TRACEMARK_CODES_PREVIOUS_SECRETS, or "
                    + "the lines after the first in the data folder's serial.key); without them every code they "
                    + "issued would look forged.");
        }
        @SuppressWarnings("unchecked")
        List<String> pinned = em.createNativeQuery("select fingerprint from serial_key").getResultList();
        for (String fingerprint : configured) {
            if (!pinned.contains(fingerprint)) {
                em.createNativeQuery("insert into serial_key (fingerprint, first_used) values (?1, ?2)")
                        .setParameter(1, fingerprint).setParameter(2, OffsetDateTime.now()).executeUpdate();
            }
        }
    }
}
