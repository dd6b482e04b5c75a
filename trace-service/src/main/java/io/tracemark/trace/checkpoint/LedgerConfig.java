package io.tracemark.trace.checkpoint;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the ledger's signed checkpoints. */
@ConfigMapping(prefix = "tracemark.ledger")
public interface LedgerConfig {

    /**
     * The ledger's Ed25519 signing key, PKCS#8 DER in base64. Required on PostgreSQL; the embedded
     * default generates one into the data folder.
     */
    Optional<String> signingKey();

    /** How often a checkpoint of the head is issued and stored by itself; 0 turns the schedule off. */
    @WithDefault("1h")
    Duration checkpointInterval();
}
