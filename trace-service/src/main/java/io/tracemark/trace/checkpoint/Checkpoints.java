package io.tracemark.trace.checkpoint;

import java.security.PublicKey;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tracemark.trace.epcis.LedgerChain;
import io.tracemark.trace.paging.Page;
import io.tracemark.trace.paging.PageRequest;
import io.tracemark.trace.problem.ProblemException;

/**
 * Issues signed checkpoints of the ledger's head and verifies the ledger against a checkpoint a
 * caller kept. A checkpoint is only issued over a chain that extends the newest checkpoint signed
 * with the current key: the service never signs a history that contradicts what it signed before.
 */
@ApplicationScoped
public class Checkpoints {

    /** Who asked for a checkpoint the schedule issued. */
    static final String SCHEDULE = "schedule";

    private final LedgerChain chain;
    private final LedgerKeyring keyring;
    private final SigningKey key;

    public Checkpoints(LedgerChain chain, LedgerKeyring keyring, SigningKey key) {
        this.chain = chain;
        this.keyring = keyring;
        this.key = key;
    }

    /** One check of a verification: whether it passed, at which chain position, and what it found. */
    public record Check(String check, boolean passed, Long position, String detail) {
    }

    /** The outcome of verifying the ledger against a checkpoint; when not verified, the first failed check. */
    public record Verdict(boolean verified, String failedCheck, Long position, String reason, List<Check> checks) {
    }

    /** A checkpoint as listed: the statement's fields, and who asked for it (verify ignores that field). */
    public record Issued(String ledger, long position, String headHash, String issuedAt, String keyId, String signature,
            String requestedBy) {

        static Issued of(LedgerCheckpoint row) {
            Checkpoint signed = row.statement();
            return new Issued(signed.ledger(), signed.position(), signed.headHash(), signed.issuedAt(), signed.keyId(),
                    signed.signature(), row.requestedBy);
        }
    }

    /**
     * Signs the head the ledger has now and stores the checkpoint.
     *
     * @throws ProblemException (409) when the chain does not extend the newest checkpoint signed
     *         with the current key, or is broken after it
     */
    public Checkpoint issue(String requestedBy) {
        LedgerChain.Verification walked = walkFromLastCheckpoint();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Checkpoint checkpoint = Checkpoint.sign(key, keyring.ledgerId(), walked.events(), walked.head(), now);
        QuarkusTransaction.requiringNew().run(() -> {
            LedgerCheckpoint row = new LedgerCheckpoint();
            row.ledgerId = checkpoint.ledger();
            row.position = checkpoint.position();
            row.headHash = checkpoint.headHash();
            row.issuedAt = now.atOffset(ZoneOffset.UTC);
            row.keyId = checkpoint.keyId();
            row.signature = checkpoint.signature();
            row.requestedBy = requestedBy;
            row.persist();
        });
        return checkpoint;
    }

    /**
     * Walks the chain from the newest checkpoint signed with the current key (from the start when
     * there is none) to the head. Only a checkpoint whose signature holds is taken as the start: a
     * row written into the table behind the service's back is not one it signed.
     */
    private LedgerChain.Verification walkFromLastCheckpoint() {
        LedgerCheckpoint last = QuarkusTransaction.requiringNew().call(() -> LedgerCheckpoint.latestSignedWith(key.keyId()));
        if (last == null) {
            return refuseIfBroken(chain.verify(), null);
        }
        Checkpoint signed = last.statement();
        if (!key.verifies(signed.signedText(), signed.signatureBytes())) {
            throw ProblemException.conflict("The stored checkpoint of position " + signed.position() + " issued at "
                    + signed.issuedAt() + " does not carry this ledger's signature: the checkpoint table was changed "
                    + "behind the service's back, so no new checkpoint is signed");
        }
        String reason = headProblem(signed);
        if (reason != null) {
            throw refusal(signed, reason);
        }
        return refuseIfBroken(chain.verifyFrom(signed.position(), signed.headHash()), signed);
    }

    private static LedgerChain.Verification refuseIfBroken(LedgerChain.Verification walked, Checkpoint from) {
        if (walked.intact()) {
            return walked;
        }
        String where = walked.firstBrokenPosition() != null ? " at position " + walked.firstBrokenPosition() : "";
        String reason = "the chain is broken" + where + ": " + walked.reason();
        if (from == null) {
            throw ProblemException.conflict("The ledger's hash chain is broken, so no checkpoint is signed: " + reason);
        }
        throw refusal(from, reason);
    }

    private static ProblemException refusal(Checkpoint last, String reason) {
        return ProblemException.conflict("The ledger no longer extends its checkpoint of position " + last.position()
                + " issued at " + last.issuedAt() + ", so no checkpoint is signed: " + reason);
    }

    /** Why the ledger no longer holds the checkpoint's head at its position, or null when it does. */
    private String headProblem(Checkpoint checkpoint) {
        long events = chain.head().events();
        if (events < checkpoint.position()) {
            return "the ledger ends at position " + events + ", before the checkpoint's position " + checkpoint.position()
                    + ": events signed by the checkpoint were removed and the head rolled back";
        }
        String stored = chain.chainHashAt(checkpoint.position());
        if (stored == null) {
            return "the ledger holds no event at position " + checkpoint.position() + ": it was removed";
        }
        if (!stored.equals(checkpoint.headHash())) {
            return "the event at position " + checkpoint.position() + " has chain value " + stored + ", not the signed "
                    + checkpoint.headHash() + ": the ledger up to that position was changed and its chain recomputed";
        }
        return null;
    }

    /**
     * Verifies the ledger against a checkpoint: its signature, that it is this ledger's, that the
     * ledger still holds its head at its position, and that the chain from the start to the current
     * head is intact. Reads only.
     */
    public Verdict verify(Checkpoint checkpoint) {
        List<Check> checks = new ArrayList<>();
        Optional<PublicKey> signer = QuarkusTransaction.requiringNew().call(() -> keyring.publicKey(checkpoint.keyId()));
        if (signer.isEmpty()) {
            return failed(checks, new Check("signature", false, null, "signed with key " + checkpoint.keyId()
                    + ", which this ledger has never signed with: the checkpoint was not issued by this ledger"));
        }
        if (!SigningKey.verify(signer.get(), checkpoint.signedText(), checkpoint.signatureBytes())) {
            return failed(checks, new Check("signature", false, null, "the signature does not verify under key "
                    + checkpoint.keyId() + ": the checkpoint was not signed by this ledger, or was changed after signing"));
        }
        checks.add(new Check("signature", true, null, "signed by this ledger's " + (checkpoint.keyId().equals(key.keyId())
                ? "current key " : "earlier key ") + checkpoint.keyId()));
        if (!checkpoint.ledger().equals(keyring.ledgerId())) {
            return failed(checks, new Check("ledger", false, null, "the checkpoint is of ledger " + checkpoint.ledger()
                    + ", not of this ledger " + keyring.ledgerId()));
        }
        checks.add(new Check("ledger", true, null, "the checkpoint is of this ledger " + checkpoint.ledger()));
        String headProblem = headProblem(checkpoint);
        checks.add(new Check("head", headProblem == null, checkpoint.position(), headProblem != null ? headProblem
                : "the event at position " + checkpoint.position() + " still has the signed chain value"));
        LedgerChain.Verification walked = chain.verify();
        checks.add(walked.intact()
                ? new Check("chain", true, walked.events(), "the chain is intact from the start to the head at position "
                        + walked.events())
                : new Check("chain", false, walked.firstBrokenPosition() != null ? walked.firstBrokenPosition()
                        : Long.valueOf(walked.events()), walked.reason()));
        return checks.stream().filter(check -> !check.passed()).findFirst()
                .map(first -> new Verdict(false, first.check(), first.position(), first.detail(), List.copyOf(checks)))
                .orElseGet(() -> new Verdict(true, null, null, null, List.copyOf(checks)));
    }

    private static Verdict failed(List<Check> passed, Check failed) {
        List<Check> checks = new ArrayList<>(passed);
        checks.add(failed);
        return new Verdict(false, failed.check(), failed.position(), failed.detail(), checks);
    }

    /** The keys the ledger signed with before the current one, newest first. */
    List<LedgerKey> earlierKeys(String current) {
        return QuarkusTransaction.requiringNew().call(
                () -> keyring.keys().stream().filter(known -> !known.keyId.equals(current)).toList());
    }

    /** Stored checkpoints, newest first. */
    public Page<Issued> list(PageRequest request) {
        return QuarkusTransaction.requiringNew().call(() -> Page.of(LedgerCheckpoint.newestFirst(), request,
                Issued::of));
    }

    /** Whether a scheduled checkpoint was issued less than {@code half} ago, by this or another instance. */
    boolean scheduledWithin(java.time.Duration half) {
        LedgerCheckpoint last = QuarkusTransaction.requiringNew().call(LedgerCheckpoint::latestScheduled);
        return last != null && last.issuedAt.toInstant().isAfter(Instant.now().minus(half));
    }
}
