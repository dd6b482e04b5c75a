package io.tracemark.trace.epcis;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.SortedMap;
import java.util.TreeMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.type.TypeReference;

import io.tracemark.trace.problem.ProblemException;

/**
 * nextPageToken values: the query, where the last page ended and when the token expires, signed
 * with HMAC-SHA256 so that a client can neither forge a position nor widen the query. The key
 * lives in memory only; a restart ends the tokens in flight, which the binding allows.
 */
@ApplicationScoped
public class PageTokens {

    /** Where a page ended: the resource queried, its parameters, the last event's sort key and row, how many came so far. */
    public record Position(String resource, SortedMap<String, String> parameters, String lastKey, long lastRow,
            long returned, long expires) {
    }

    private static final TypeReference<Position> POSITION = new TypeReference<>() {
    };
    private final byte[] key = new byte[32];

    public PageTokens() {
        new SecureRandom().nextBytes(key);
    }

    public String issue(Position position) {
        try {
            byte[] payload = EpcisJson.MAPPER.writeValueAsBytes(position);
            Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
            return base64.encodeToString(payload) + "." + base64.encodeToString(mac(payload));
        } catch (IOException e) {
            throw new IllegalStateException("a page position cannot be written", e);
        }
    }

    /** The position a token stands for, if this service issued it, it has not expired and it belongs to this resource. */
    public Position read(String token, String resource) {
        int dot = token.indexOf('.');
        Position position;
        try {
            Base64.Decoder base64 = Base64.getUrlDecoder();
            byte[] payload = base64.decode(token.substring(0, Math.max(dot, 0)));
            byte[] signature = base64.decode(token.substring(dot + 1));
            if (dot <= 0 || !MessageDigest.isEqual(signature, mac(payload))) {
                throw invalid("was not issued by this service, or was changed");
            }
            position = EpcisJson.MAPPER.readValue(payload, POSITION);
        } catch (IllegalArgumentException | IOException e) {
            throw invalid("is not a page token of this service");
        }
        if (Instant.now().getEpochSecond() > position.expires()) {
            throw invalid("has expired: run the query again from its first page");
        }
        if (!position.resource().equals(resource)) {
            throw invalid("belongs to another resource (" + position.resource() + ")");
        }
        return new Position(position.resource(), new TreeMap<>(position.parameters()), position.lastKey(),
                position.lastRow(), position.returned(), position.expires());
    }

    private static ProblemException invalid(String message) {
        return ProblemException.invalid("nextPageToken", message);
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
