package io.tracemark.trace.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The rate limit's rules without a server: allowance, refusal with a wait, exemptions, off, and who the client is. */
class ScanRateLimiterTest {

    private record Limits(boolean enabled, long requests, Duration period, long maxClients,
            Optional<List<String>> exempt, boolean trustForwardedFor) implements ScanConfig.RateLimit {
    }

    private static RateLimiter limiter(boolean enabled, long requests, String... exempt) {
        Limits limits = new Limits(enabled, requests, Duration.ofMinutes(1), 1000, Optional.of(List.of(exempt)), false);
        return new RateLimiter(new ScanConfig() {
            @Override
            public Photo photo() {
                throw new UnsupportedOperationException("the rate limiter reads no photo settings");
            }

            @Override
            public RateLimit rateLimit() {
                return limits;
            }

            @Override
            public Log log() {
                throw new UnsupportedOperationException("the rate limiter reads no scan log settings");
            }
        });
    }

    @Test
    void anAddressHasItsAllowanceThenWaitsAboutOneRefillAndOthersAreUnaffected() {
        RateLimiter limiter = limiter(true, 3);
        for (int i = 0; i < 3; i++) {
            assertTrue(limiter.tryAcquire("203.0.113.1").allowed());
        }
        RateLimiter.Decision refused = limiter.tryAcquire("203.0.113.1");
        assertFalse(refused.allowed());
        // Three a minute: the next token comes within 20 seconds.
        assertTrue(refused.retryAfter().compareTo(Duration.ZERO) > 0
                && refused.retryAfter().compareTo(Duration.ofSeconds(20)) <= 0, refused.retryAfter().toString());
        assertTrue(limiter.tryAcquire("203.0.113.2").allowed());
    }

    @Test
    void exemptAddressesAndASwitchedOffLimitAreNeverRefused() {
        RateLimiter exempting = limiter(true, 1, "10.0.0.5");
        RateLimiter off = limiter(false, 1);
        for (int i = 0; i < 100; i++) {
            assertTrue(exempting.tryAcquire("10.0.0.5").allowed());
            assertTrue(off.tryAcquire("203.0.113.9").allowed());
        }
        assertTrue(exempting.tryAcquire("203.0.113.9").allowed());
        assertFalse(exempting.tryAcquire("203.0.113.9").allowed());
    }

    @Test
    void xForwardedForCountsOnlyWhenTrustedAndThenItsLastAddress() {
        assertEquals("192.0.2.10", RateLimiter.client("192.0.2.10", "203.0.113.50", false));
        assertEquals("203.0.113.50", RateLimiter.client("192.0.2.10", "198.51.100.1, 203.0.113.50", true));
        assertEquals("192.0.2.10", RateLimiter.client("192.0.2.10", null, true));
        assertEquals("192.0.2.10", RateLimiter.client("192.0.2.10", "203.0.113.50, ", true));
    }
}
