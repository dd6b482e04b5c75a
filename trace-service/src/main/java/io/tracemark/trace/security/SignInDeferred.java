package io.tracemark.trace.security;

import java.time.Duration;

/**
 * A sign-in that is not checked now: too many failures for the account or the address (429), or
 * too many password checks already running (503). Says nothing of whether the account exists.
 */
public class SignInDeferred extends RuntimeException {

    private final int status;
    private final long retryAfterSeconds;

    private SignInDeferred(int status, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        // Whole seconds, rounded up: a client that waits this long is let through.
        this.retryAfterSeconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    static SignInDeferred throttled(Duration retryAfter) {
        return new SignInDeferred(429, "Too many failed sign-ins for this account or from this address", retryAfter);
    }

    static SignInDeferred busy() {
        return new SignInDeferred(503, "Too many sign-ins are being checked at once", Duration.ofSeconds(1));
    }

    public int status() {
        return status;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
