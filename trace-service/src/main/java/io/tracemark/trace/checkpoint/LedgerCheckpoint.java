package io.tracemark.trace.checkpoint;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;

import io.quarkus.hibernate.orm.panache.PanacheEntity;
import io.quarkus.hibernate.orm.panache.PanacheQuery;

/** A checkpoint the ledger issued, as it was signed, and who asked for it. */
@Entity
@Table(name = "ledger_checkpoint")
@Immutable
public class LedgerCheckpoint extends PanacheEntity {

    @Column(nullable = false)
    public String ledgerId;

    @Column(nullable = false)
    public long position;

    @Column(nullable = false)
    public String headHash;

    @Column(nullable = false)
    public OffsetDateTime issuedAt;

    @Column(nullable = false)
    public String keyId;

    /** The Ed25519 signature in base64. */
    @Column(nullable = false)
    public String signature;

    /** {@code schedule}, or the caller who asked: {@code user:<name>}. */
    @Column(nullable = false)
    public String requestedBy;

    /** Newest first. */
    static PanacheQuery<LedgerCheckpoint> newestFirst() {
        return find("order by issuedAt desc, id desc");
    }

    /** The newest checkpoint signed with the given key, if any. */
    static LedgerCheckpoint latestSignedWith(String keyId) {
        return LedgerCheckpoint.<LedgerCheckpoint>find("keyId = ?1 order by position desc, issuedAt desc", keyId)
                .firstResult();
    }

    /** The newest checkpoint the schedule issued, if any. */
    static LedgerCheckpoint latestScheduled() {
        return LedgerCheckpoint.<LedgerCheckpoint>find("requestedBy = ?1 order by issuedAt desc", Checkpoints.SCHEDULE)
                .firstResult();
    }

    Checkpoint statement() {
        return new Checkpoint(ledgerId, position, headHash, Checkpoint.timeText(issuedAt.toInstant()), keyId, signature);
    }
}
