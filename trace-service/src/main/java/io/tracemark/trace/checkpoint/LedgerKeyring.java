package io.tracemark.trace.checkpoint;

import java.nio.file.Path;
import java.security.PublicKey;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

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
 * Provides the ledger's signing key and the ledger's identity. Production takes the key from
 * configuration and refuses to start without one; the embedded default generates one into the data
 * folder on first start and keeps it there, as it keeps the serial key. Every public key the ledger
 * has signed with is kept in the database, so that checkpoints signed before a key change still
 * verify; the private key never is.
 */
@ApplicationScoped
public class LedgerKeyring {

    private static final Logger LOG = Logger.getLogger(LedgerKeyring.class);
    static final String KEY_FILE = "ledger-signing.key";
    static final String VARIABLE = "TRACEMARK_LEDGER_SIGNING_KEY";

    private final EntityManager em;
    private volatile String ledgerId;

    public LedgerKeyring(EntityManager em) {
        this.em = em;
    }

    @Produces
    @Singleton
    SigningKey signingKey(LedgerConfig config, TracemarkConfig tracemark, Storage storage) {
        return load(config.signingKey(), storage.embedded(), tracemark.dataDir());
    }

    /** Resolves the key at start, so that a missing or malformed key stops the service before it serves. */
    void checkAtStart(@Observes StartupEvent event, SigningKey key) {
        QuarkusTransaction.requiringNew().run(() -> {
            pin(key);
            ledgerId = identify();
        });
        LOG.infof("Ledger %s signs its checkpoints with key %s", ledgerId, key.keyId());
    }

    static SigningKey load(Optional<String> configured, boolean embedded, Path dataDir) {
        if (configured.isPresent()) {
            return SigningKey.fromPkcs8(configured.get(), VARIABLE + " (tracemark.ledger.signing-key)");
        }
        if (!embedded) {
            throw new IllegalStateException("No ledger signing key configured: set " + VARIABLE
                    + " (property tracemark.ledger.signing-key) to an Ed25519 private key, PKCS#8 DER in base64: "
                    + "openssl genpkey -algorithm ed25519 -outform DER | base64 -w0. Keep it secret and outside the "
                    + "database: it signs the ledger's checkpoints.");
        }
        DataFolder.KeptSecret kept = DataFolder.keep(dataDir, KEY_FILE, () -> SigningKey.generate().pkcs8());
        if (kept.created()) {
            LOG.infof("Generated a new ledger signing key in %s; back it up with the data", dataDir.resolve(KEY_FILE));
        }
        return SigningKey.fromPkcs8(kept.text(), dataDir.resolve(KEY_FILE).toString());
    }

    /** The ledger's identity, named in every checkpoint so that one ledger's checkpoint cannot pass for another's. */
    public String ledgerId() {
        return ledgerId;
    }

    /** The public key with this id, if the ledger has ever signed with it. */
    Optional<PublicKey> publicKey(String keyId) {
        return LedgerKey.<LedgerKey>findByIdOptional(keyId).map(key -> SigningKey.publicKey(key.publicKey));
    }

    /** Every public key the ledger has signed with, newest first. */
    List<LedgerKey> keys() {
        return LedgerKey.list("order by firstUsed desc");
    }

    private void pin(SigningKey key) {
        if (LedgerKey.findById(key.keyId()) != null) {
            return;
        }
        LedgerKey known = new LedgerKey();
        known.keyId = key.keyId();
        known.publicKey = key.publicKey();
        known.firstUsed = OffsetDateTime.now(ZoneOffset.UTC);
        known.persist();
        long earlier = LedgerKey.count() - 1;
        if (earlier > 0) {
            LOG.infof("Ledger signing key %s is new; the %d earlier keys still verify the checkpoints they signed",
                    key.keyId(), earlier);
        }
    }

    /** Reads the ledger id, naming the ledger on its first start. */
    private String identify() {
        em.createNativeQuery("update ledger_head set ledger_id = ?1 where id = 1 and ledger_id is null")
                .setParameter(1, UUID.randomUUID().toString()).executeUpdate();
        return (String) em.createNativeQuery("select ledger_id from ledger_head where id = 1").getSingleResult();
    }
}
