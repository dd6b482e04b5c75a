package io.tracemark.trace.security;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bucket;

/**
 * Counts failed sign-ins per account name and per client address in token buckets: each failure
 * takes a token, tokens come back evenly over the period, and an empty bucket defers the next
 * sign-in until one is back. Account names are counted whether or not the account exists, so a
 * 429 tells nothing about which names are real. The buckets live in this instance's memory: behind
 * a load balancer each instance counts on its own.
 */
@ApplicationScoped
public class SignInThrottle {

    private static final long MAX_REMEMBERED = 100_000;

    private final SignInConfig config;
    private final Set<String> exempt;
    private final Cache<String, Bucket> accounts;
    private final Cache<String, Bucket> addresses;

    public SignInThrottle(SignInConfig config) {
        this.config = config;
        this.exempt = Set.copyOf(config.exempt().orElse(List.of()));
        this.accounts = buckets();
        this.addresses = buckets();
    }

    /** Refuses the sign-in with how long to wait when the account or the address has no failures left. */
    void checkAllowed(String account, String address) {
        Optional<Duration> wait = waitFor(accounts, account.toLowerCase());
        if (!exempt.contains(address)) {
            wait = longer(wait, waitFor(addresses, address));
        }
        if (wait.isPresent()) {
            throw SignInDeferred.throttled(wait.get());
        }
    }

    void failed(String account, String address) {
        accounts.get(account.toLowerCase(), name -> bucket(config.accountFailures())).tryConsume(1);
        if (!exempt.contains(address)) {
            addresses.get(address, name -> bucket(config.addressFailures())).tryConsume(1);
        }
    }

    /** A right password forgives the account its failures; the address keeps its count. */
    void succeeded(String account) {
        accounts.invalidate(account.toLowerCase());
    }

    /** The client's address: the connection's peer, or the last X-Forwarded-For entry when the proxy is trusted. */
    String client(String peer, String forwardedFor) {
        if (!config.trustForwardedFor() || forwardedFor == null || forwardedFor.isBlank()) {
            return peer;
        }
        String last = forwardedFor.substring(forwardedFor.lastIndexOf(',') + 1).strip();
        return last.isEmpty() ? peer : last;
    }

    private static Optional<Duration> waitFor(Cache<String, Bucket> buckets, String key) {
        Bucket bucket = buckets.getIfPresent(key);
        if (bucket == null || bucket.getAvailableTokens() > 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill()));
    }

    private static Optional<Duration> longer(Optional<Duration> a, Optional<Duration> b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.isPresent() && b.get().compareTo(a.get()) > 0 ? b : a;
    }

    private Cache<String, Bucket> buckets() {
        // A bucket untouched for a whole period is full again: forgetting it changes nothing.
        return Caffeine.newBuilder().maximumSize(MAX_REMEMBERED).expireAfterAccess(config.period()).build();
    }

    private Bucket bucket(int failures) {
        return Bucket.builder().addLimit(limit -> limit.capacity(failures).refillGreedy(failures, config.period()))
                .build();
    }
}
