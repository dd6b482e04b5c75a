package io.tracemark.trace.scan;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

/**
 * A token bucket per client address for the public scan endpoints: {@code requests} tokens,
 * refilled evenly over {@code period}. Buckets live in a bounded cache, so a flood of addresses
 * costs memory up to {@code maxClients} buckets and no more; a forgotten address starts full.
 */
@ApplicationScoped
public class RateLimiter {

    /** Whether a request may go on, and if not, how long until it may. */
    public record Decision(boolean allowed, Duration retryAfter) {

        static final Decision ALLOWED = new Decision(true, Duration.ZERO);
    }

    private final ScanConfig.RateLimit config;
    private final Set<String> exempt;
    private final Cache<String, Bucket> buckets;

    public RateLimiter(ScanConfig config) {
        this.config = config.rateLimit();
        this.exempt = Set.copyOf(this.config.exempt().orElse(List.of()));
        this.buckets = Caffeine.newBuilder().maximumSize(this.config.maxClients())
                // A bucket untouched for a whole period is full again: forgetting it changes nothing.
                .expireAfterAccess(this.config.period()).build();
    }

    public Decision tryAcquire(String client) {
        if (!config.enabled() || exempt.contains(client)) {
            return Decision.ALLOWED;
        }
        ConsumptionProbe probe = buckets.get(client, address -> newBucket()).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return Decision.ALLOWED;
        }
        return new Decision(false, Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    private Bucket newBucket() {
        return Bucket.builder().addLimit(limit -> limit.capacity(config.requests())
                .refillGreedy(config.requests(), config.period())).build();
    }

    /**
     * The client's address: the connection's peer, or, when the proxy in front is trusted, the
     * last address of X-Forwarded-For, which that proxy appended (earlier ones the client wrote).
     */
    public static String client(String peer, String forwardedFor, boolean trustForwardedFor) {
        if (!trustForwardedFor || forwardedFor == null || forwardedFor.isBlank()) {
            return peer;
        }
        String last = forwardedFor.substring(forwardedFor.lastIndexOf(',') + 1).strip();
        return Optional.of(last).filter(address -> !address.isEmpty()).orElse(peer);
    }
}
