package io.tracemark.trace.checkpoint;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.tracemark.trace.problem.Problem;
import io.tracemark.trace.problem.ProblemException;
import io.tracemark.trace.problem.ProblemType;

/**
 * A signed statement of the ledger's head: ledger {@code ledger} held {@code position} events, the
 * last with chain value {@code headHash}, at {@code issuedAt}. The signature is Ed25519 under key
 * {@code keyId} over {@link #signedText()}, which docs/epcis.md writes out, so that anyone holding
 * the public key can check it with standard tools.
 */
public record Checkpoint(String ledger, long position, String headHash, String issuedAt, String keyId, String signature) {

    /** The first line of the signed text; a new format gets a new one. */
    static final String FORMAT = "tracemark-ledger-checkpoint-1";
    private static final DateTimeFormatter ISSUED_AT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC).withResolverStyle(java.time.format.ResolverStyle.STRICT);
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");

    /** A time as checkpoints write it: UTC, always three fraction digits, so that a time has one text only. */
    static String timeText(Instant time) {
        return ISSUED_AT.format(time);
    }

    /** The bytes the signature covers: one {@code name=value} line per field, each ending in a line feed. */
    public byte[] signedText() {
        return (FORMAT + "\n" + "ledger=" + ledger + "\n" + "position=" + position + "\n" + "headHash=" + headHash + "\n"
                + "issuedAt=" + issuedAt + "\n" + "keyId=" + keyId + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Issues a checkpoint of a head: signs it with the ledger's key. */
    static Checkpoint sign(SigningKey key, String ledger, long position, String headHash, Instant issuedAt) {
        Checkpoint unsigned = new Checkpoint(ledger, position, headHash, timeText(issuedAt), key.keyId(), null);
        return new Checkpoint(ledger, position, headHash, unsigned.issuedAt, key.keyId(),
                Base64.getEncoder().encodeToString(key.sign(unsigned.signedText())));
    }

    byte[] signatureBytes() {
        return Base64.getDecoder().decode(signature);
    }

    /**
     * Reads a checkpoint a caller kept. Fields are checked for the form the ledger issues them in,
     * so that the signed text is rebuilt exactly; other fields are ignored.
     *
     * @throws ProblemException naming every field that is missing or not in that form
     */
    static Checkpoint parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ProblemException.invalid("body", "must be a checkpoint: a JSON object with ledger, position, headHash, "
                    + "issuedAt, keyId and signature, as GET /epcis/ledger/checkpoint answers");
        }
        List<Problem.Violation> violations = new ArrayList<>();
        String ledger = text(body, "ledger", UUID, "must be the ledger id the checkpoint was issued for (a lowercase UUID)",
                violations);
        JsonNode positionNode = body.get("position");
        long position = 0;
        if (positionNode == null || !positionNode.isIntegralNumber() || !positionNode.canConvertToLong()
                || positionNode.asLong() < 0) {
            violations.add(new Problem.Violation("position", positionNode == null ? "is missing"
                    : "must be the chain position, a whole number of 0 or more"));
        } else {
            position = positionNode.asLong();
        }
        String headHash = text(body, "headHash", HEX64, "must be a chain value: 64 lowercase hex digits", violations);
        String issuedAt = text(body, "issuedAt", TIME,
                "must be the time the checkpoint was issued, in UTC with milliseconds as issued (2026-01-31T12:00:00.000Z)",
                violations);
        if (issuedAt != null) {
            try {
                ISSUED_AT.parse(issuedAt);
            } catch (DateTimeParseException e) {
                violations.add(new Problem.Violation("issuedAt", "'" + issuedAt + "' is not a real time"));
            }
        }
        String keyId = text(body, "keyId", HEX64, "must be a key id: 64 lowercase hex digits", violations);
        String signature = text(body, "signature", Pattern.compile("[A-Za-z0-9+/]{86}=="),
                "must be an Ed25519 signature: 64 bytes in base64", violations);
        if (!violations.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "The checkpoint is not in the form the ledger issues: "
                    + violations.get(0).field() + " " + violations.get(0).message(), violations);
        }
        return new Checkpoint(ledger, position, headHash, issuedAt, keyId, signature);
    }

    private static String text(JsonNode body, String field, Pattern form, String message, List<Problem.Violation> violations) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            violations.add(new Problem.Violation(field, "is missing"));
            return null;
        }
        if (!value.isTextual() || !form.matcher(value.asText()).matches()) {
            violations.add(new Problem.Violation(field, message));
            return null;
        }
        return value.asText();
    }
}
