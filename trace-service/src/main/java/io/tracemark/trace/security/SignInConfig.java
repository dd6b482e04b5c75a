package io.tracemark.trace.security;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How password sign-in (HTTP Basic and the console form) resists guessing and floods, under {@code tracemark.sign-in.*}. */
@ConfigMapping(prefix = "tracemark.sign-in")
public interface SignInConfig {

    /** Failed sign-ins one account may have per period before it is answered 429 until a failure is forgotten. */
    @WithDefault("10")
    int accountFailures();

    /** Failed sign-ins one client address may have per period, whatever accounts it tries. */
    @WithDefault("30")
    int addressFailures();

    /** Over how long failures are forgotten, evenly. */
    @WithDefault("15m")
    Duration period();

    /** Password checks (bcrypt) running at once; about one per core keeps the rest of the service responsive. */
    @WithDefault("2")
    int concurrentChecks();

    /** Checks that may wait for one of those; beyond them a sign-in is answered 503 at once. */
    @WithDefault("16")
    int waitingChecks();

    /** Addresses whose failures are never counted, such as a monitoring probe. */
    Optional<List<String>> exempt();

    /** Whether the client is the last address of X-Forwarded-For; only behind a proxy that appends it. */
    @WithDefault("false")
    boolean trustForwardedFor();
}
