package io.tracemark.trace.checkpoint;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A public key the ledger has signed checkpoints with: SubjectPublicKeyInfo DER in base64, and its key id. */
@Entity
@Table(name = "ledger_signing_key")
public class LedgerKey extends PanacheEntityBase {

    @Id
    public String keyId;

    @Column(nullable = false)
    public String publicKey;

    @Column(nullable = false)
    public OffsetDateTime firstUsed;
}
