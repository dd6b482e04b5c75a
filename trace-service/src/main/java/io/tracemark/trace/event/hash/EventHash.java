package io.tracemark.trace.event.hash;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The EPCIS Event Hash ID of CBV 2.0 (section 8.9): a fingerprint of an event's content that is
 * the same whichever valid serialisation the event arrives in, and changes with any value that
 * means something. Tracemark stores it with every event of the ledger.
 *
 * <p>Input is one EPCIS 2.0 event in JSON-LD, as captured, plus the {@code @context} of the
 * document it came in, which says what namespace each extension prefix stands for. An event
 * that carries its own {@code @context} (as events in query results may) has it applied on top.
 *
 * <p>The function is pure: no I/O, no clock, no state; safe from any thread.
 */
public final class EventHash {

    /** The version of the hash algorithm, as the hash names it. */
    public static final String CBV_VERSION = "CBV2.0";

    private static final String PREFIX = "ni:///sha-256;";
    private static final String SUFFIX = "?ver=" + CBV_VERSION;

    private EventHash() {
    }

    /**
     * The event's hash ID, {@code ni:///sha-256;<64 lowercase hex digits>?ver=CBV2.0}.
     *
     * @param event   one EPCIS 2.0 event as a JSON object
     * @param context the {@code @context} of the event's document (a string, an object or an
     *                array of both); null when there is none
     * @throws IllegalArgumentException when the event is not an object, has no type, or a
     *                                  standard field has a JSON shape EPCIS 2.0 does not allow
     */
    public static String of(JsonNode event, JsonNode context) {
        return hashOf(preHashString(event, context));
    }

    /** The canonical text the hash ID digests; what to compare when two hashes disagree. */
    public static String preHashString(JsonNode event, JsonNode context) {
        JsonNode eventContext = event == null ? null : event.get("@context");
        return new PreHash(Namespaces.of(context, eventContext)).of(event);
    }

    /** The hash ID of a pre-hash string: SHA-256 over its UTF-8 bytes (RFC 6920 'ni' form). */
    static String hashOf(String preHashString) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(preHashString.getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest) + SUFFIX;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
