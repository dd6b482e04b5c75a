package io.tracemark.trace.scan;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the consumer scan page, scan by photo, the public endpoints' rate limit and the scan log. */
@ConfigMapping(prefix = "tracemark.scan")
public interface ScanConfig {

    Photo photo();

    RateLimit rateLimit();

    Log log();

    interface Photo {
        /** Largest photo accepted, in bytes; keep it under quarkus.http.limits.max-body-size. */
        @WithDefault("8388608")
        long maxBytes();

        /** Largest photo accepted, in pixels: a small compressed file may unpack to a huge image. */
        @WithDefault("40000000")
        long maxPixels();
    }

    interface RateLimit {
        /** Off lets a load benchmark through; the endpoints stay public either way. */
        @WithDefault("true")
        boolean enabled();

        /** Requests one client address may make per period, in a burst or spread out. */
        @WithDefault("60")
        long requests();

        @WithDefault("1m")
        Duration period();

        /** Client addresses remembered at once; the least recently seen are forgotten first. */
        @WithDefault("100000")
        long maxClients();

        /** Addresses never limited, such as a monitoring probe or a load generator. */
        Optional<List<String>> exempt();

        /**
         * Whether the client is the last address of X-Forwarded-For, as the proxy in front of the
         * service appends it. Only behind such a proxy: anyone can write the header.
         */
        @WithDefault("false")
        boolean trustForwardedFor();
    }

    /**
     * The scan log ({@link ScanLog}): scans wait in memory and are written in groups. What a hard
     * kill may lose is bounded by these figures (docs/scan-page.md).
     */
    interface Log {
        /** Most scans written by one INSERT. */
        @WithDefault("500")
        int maxBatch();

        /** Longest a scan waits for its group to fill before it is written anyway. */
        @WithDefault("500ms")
        Duration maxDelay();

        /**
         * Most scans held in memory at once, written or not. Beyond it a request writes its own scan
         * before it is answered, so a scan is never answered and dropped.
         */
        @WithDefault("10000")
        int capacity();

        /**
         * Longest a graceful stop waits for the held scans to be written; only a database that is
         * down all that time keeps them from being written (the log says how many were lost).
         */
        @WithDefault("5s")
        Duration shutdownTimeout();
    }
}
