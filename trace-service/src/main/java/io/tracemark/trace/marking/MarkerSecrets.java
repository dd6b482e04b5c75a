package io.tracemark.trace.marking;

import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.tracemark.trace.storage.SealedSecrets;

/**
 * The marker passwords at rest. At start, before any run resumes, passwords that an older version
 * stored in the clear are encrypted, and every encrypted one is checked against the configured key,
 * so that a missing or wrong key stops the service at once instead of failing a run later.
 */
@ApplicationScoped
public class MarkerSecrets {

    private static final Logger LOG = Logger.getLogger(MarkerSecrets.class);
    /** How the migration that introduced encryption marked the passwords it found in the clear. */
    static final String PLAIN = "plain:";

    private final SealedSecrets secrets;

    public MarkerSecrets(SealedSecrets secrets) {
        this.secrets = secrets;
    }

    void sealAtStart(@Observes @Priority(100) StartupEvent event) {
        int sealed = QuarkusTransaction.requiringNew().call(this::sealStored);
        if (sealed > 0) {
            LOG.infof("Encrypted %d marker password(s) stored in the clear by an earlier version", sealed);
        }
    }

    /** Encrypts the passwords still in the clear and returns how many; checks the others. */
    int sealStored() {
        List<LineMarker> markers = LineMarker.withSecrets();
        if (!markers.isEmpty() && !secrets.available()) {
            throw new IllegalStateException("The database holds marker passwords of " + markers.size()
                    + " line(s), which are kept encrypted, and no key is configured: set TRACEMARK_SECRETS_KEY "
                    + "(at least 16 random bytes, hex or base64; the same on every instance, never changed)");
        }
        int sealed = 0;
        for (LineMarker marker : markers) {
            if (isPlain(marker.mqttPassword) || isPlain(marker.mqttTrustStorePassword)) {
                sealed++;
            }
            marker.mqttPassword = sealedForm(marker.mqttPassword);
            marker.mqttTrustStorePassword = sealedForm(marker.mqttTrustStorePassword);
        }
        return sealed;
    }

    private String sealedForm(String stored) {
        if (stored == null) {
            return null;
        }
        if (isPlain(stored)) {
            return secrets.seal(stored.substring(PLAIN.length()));
        }
        secrets.open(stored);
        return stored;
    }

    private static boolean isPlain(String stored) {
        return stored != null && stored.startsWith(PLAIN);
    }
}
