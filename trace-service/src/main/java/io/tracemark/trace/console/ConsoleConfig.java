package io.tracemark.trace.console;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The console's settings, under {@code tracemark.console.*}. */
@ConfigMapping(prefix = "tracemark.console")
public interface ConsoleConfig {

    /** Rows of a batch's item table per page: a batch of a million items is read a page at a time. */
    @WithDefault("100")
    int pageSize();

    /**
     * How long a batch's counts (chart and recall progress) may be answered again without counting
     * anew, while the ledger has no new event: counting traces every item of the batch.
     */
    @WithDefault("60s")
    Duration countsMaxAge();

    /**
     * The key of the session cookies (TRACEMARK_SESSION_KEY); read by {@link SessionKeySource}, which
     * generates and keeps one in the data folder on the embedded default.
     */
    Optional<String> sessionKey();
}
