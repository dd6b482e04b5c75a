package io.tracemark.trace;

import java.util.Arrays;
import java.util.Optional;

import jakarta.inject.Inject;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.tracemark.trace.demo.DemoMode;

/**
 * The service's command line: no arguments, or {@code --demo} to tell the demo's story once the
 * service is up (the same as {@code TRACEMARK_DEMO=true}). Anything else is refused rather than
 * ignored, so that a mistyped switch is noticed, and before the service starts, so that it leaves
 * no data folder behind.
 */
@QuarkusMain
public class TracemarkMain implements QuarkusApplication {

    static final String DEMO = "--demo";
    static final int USAGE = 64;

    @Inject
    DemoMode demo;

    public static void main(String... args) {
        Optional<String> error = usageError(args);
        if (error.isPresent()) {
            System.err.println(error.get());
            System.exit(USAGE);
        }
        Quarkus.run(TracemarkMain.class, args);
    }

    /** Called once the service has started; in dev mode without {@link #main}, so it checks again. */
    @Override
    public int run(String... args) {
        Optional<String> error = usageError(args);
        if (error.isPresent()) {
            System.err.println(error.get());
            return USAGE;
        }
        if (args.length > 0) {
            try {
                demo.launch();
            } catch (IllegalStateException e) {
                System.err.println("Demo mode refused: " + e.getMessage());
                return 1;
            }
        }
        Quarkus.waitForExit();
        return 0;
    }

    static Optional<String> usageError(String... args) {
        return Arrays.stream(args).filter(arg -> !DEMO.equals(arg)).findFirst()
                .map(arg -> "Unknown argument '" + arg + "'. Usage: quarkus-run.jar [" + DEMO + "]");
    }
}
