package io.tracemark.trace.demo;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tracemark.trace.config.TracemarkConfig;
import io.tracemark.trace.marking.EmbeddedBroker;
import io.tracemark.trace.problem.ProblemException;
import io.tracemark.trace.security.AdminBootstrap;
import io.tracemark.trace.storage.Storage;

/**
 * Demo mode: asked for with {@code --demo} or {@code tracemark.demo.enabled}, it tells the demo's
 * story on a thread of its own once the service has started, so that the API and the pages answer
 * meanwhile, then prints where to scan and how to sign in. It refuses a database other than the
 * embedded one unless forced, and needs the in-JVM MQTT broker for its simulated line.
 */
@ApplicationScoped
public class DemoMode {

    private static final Logger LOG = Logger.getLogger(DemoMode.class);
    static final int MIN_ITEMS = 4 * DemoJourney.CASE_SIZE;
    static final int MAX_ITEMS = 960;

    private final DemoConfig config;
    private final TracemarkConfig tracemark;
    private final Storage storage;
    private final EmbeddedBroker broker;
    private final AdminBootstrap admin;
    private final DemoStory story;
    private final DemoOutput output;
    private final AtomicBoolean launched = new AtomicBoolean();
    private final CompletableFuture<DemoReport> finished = new CompletableFuture<>();
    private volatile Thread teller;
    private volatile boolean stopping;

    public DemoMode(DemoConfig config, TracemarkConfig tracemark, Storage storage, EmbeddedBroker broker,
            AdminBootstrap admin, DemoStory story, DemoOutput output) {
        this.config = config;
        this.tracemark = tracemark;
        this.storage = storage;
        this.broker = broker;
        this.admin = admin;
        this.story = story;
        this.output = output;
    }

    /** After every other start-up step, the first administrator and resumed marking runs included. */
    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER) StartupEvent event) {
        if (config.enabled()) {
            launch();
        }
    }

    void onShutdown(@Observes ShutdownEvent event) {
        stopping = true;
        Thread running = teller;
        if (running != null) {
            running.interrupt();
        }
    }

    /**
     * Starts the demo in the background, once per process.
     *
     * @throws IllegalStateException naming the reason when demo mode may not run here
     */
    public void launch() {
        refusal().ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
        if (!launched.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(this::tell, "tracemark-demo");
        thread.setDaemon(true);
        teller = thread;
        thread.start();
    }

    /** The report of this process's demo, when it has told its story. */
    public CompletableFuture<DemoReport> finished() {
        return finished;
    }

    Optional<String> refusal() {
        if (!storage.embedded() && !config.force()) {
            return Optional.of("Demo mode writes a demo product, demo sites and their events into the ledger, which"
                    + " is append-only: on this database they could never be taken out. Run the demo on the"
                    + " embedded default (no TRACEMARK_DB_URL), or set TRACEMARK_DEMO_FORCE=true if this database"
                    + " is a throwaway.");
        }
        if (!broker.enabled()) {
            return Optional.of("Demo mode drives its simulated line through the in-JVM MQTT broker, which is off;"
                    + " set TRACEMARK_MQTT_EMBEDDED_BROKER=true.");
        }
        if (config.items() < MIN_ITEMS || config.items() > MAX_ITEMS || config.items() % DemoJourney.CASE_SIZE != 0) {
            return Optional.of("tracemark.demo.items must be a multiple of " + DemoJourney.CASE_SIZE + " from "
                    + MIN_ITEMS + " to " + MAX_ITEMS + ", not " + config.items());
        }
        return Optional.empty();
    }

    private void tell() {
        output.println("Tracemark demo: marking " + config.items() + " items on a simulated line and sending them"
                + " to two shops; scan URLs follow when they are there.");
        try {
            DemoReport report = story.tell();
            new DemoPrintout(output).print(report, localBase(), tracemark.codes().resolverBaseUrl(), signIn());
            finished.complete(report);
        } catch (RuntimeException e) {
            finished.completeExceptionally(e);
            if (stopping) {
                output.println("Tracemark demo: stopped with the service; a later demo start takes it up from what"
                        + " was stored.");
                return;
            }
            if (e instanceof ProblemException refused) {
                // A refusal names its cause and what to change: a stack trace would bury that line.
                LOG.error("The demo failed: " + refused.getMessage());
            } else {
                LOG.error("The demo failed", e);
            }
            output.println("Tracemark demo failed: " + e.getMessage() + " (the service goes on running)");
        }
    }

    /** How a newcomer signs in: the first start's generated password, or where else to find it. */
    private DemoPrintout.SignIn signIn() {
        String password = admin.generatedPassword().orElse(tracemark.admin().password().isPresent()
                ? "the one set in TRACEMARK_ADMIN_PASSWORD"
                : "the one printed at the first start with this data folder");
        return new DemoPrintout.SignIn(tracemark.admin().username(), password);
    }

    /** This service on this machine, at the port it really listens on. */
    static String localBase() {
        String port = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        return "http://localhost:" + ConfigProvider.getConfig().getValue(port, Integer.class);
    }
}
