package io.tracemark.trace.demo;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Demo mode's settings, under {@code tracemark.demo.*}. */
@ConfigMapping(prefix = "tracemark.demo")
public interface DemoConfig {

    /** Whether the demo runs after start; {@code --demo} on the command line turns it on as well. */
    @WithDefault("false")
    boolean enabled();

    /**
     * Runs the demo on a database other than the embedded one. The ledger is append-only, so demo
     * products, sites and events written into a real database can never be taken out again.
     */
    @WithDefault("false")
    boolean force();

    /** Items the simulated line marks; whole cases of {@link DemoJourney#CASE_SIZE}, at least four. */
    @WithDefault("48")
    int items();

    /** Speed of the simulated line. */
    @WithDefault("20")
    double itemsPerSecond();
}
