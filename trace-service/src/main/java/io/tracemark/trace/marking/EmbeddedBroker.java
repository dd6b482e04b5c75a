package io.tracemark.trace.marking;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Optional;
import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.moquette.BrokerConstants;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.tracemark.trace.config.TracemarkConfig;
import io.tracemark.trace.problem.ProblemException;
import io.tracemark.trace.problem.ProblemType;
import io.tracemark.trace.storage.Storage;

/**
 * The MQTT broker of the zero-install default: a station whose MQTT transport names no broker
 * reaches its marker through this one, inside the service, on a loopback port. It starts when a
 * run first needs it and keeps nothing on disk: a marker's MQTT session is as durable as the
 * service that holds the broker. Unless a port is configured it takes a free one: most line PCs run
 * an MQTT broker of their own on 1883.
 */
@ApplicationScoped
public class EmbeddedBroker {

    private static final Logger LOG = Logger.getLogger(EmbeddedBroker.class);
    static final String HOST = "127.0.0.1";
    static final String URL_WITHOUT_PORT = "tcp://" + HOST;
    static final String PORT_SETTING = "TRACEMARK_MQTT_EMBEDDED_BROKER_PORT";
    /** A free port found is bound a moment later: another process may take it in between. */
    private static final int FREE_PORT_ATTEMPTS = 3;

    private final boolean enabled;
    private final Optional<Integer> configuredPort;
    private Server server;
    private int port;

    @Inject
    public EmbeddedBroker(TracemarkConfig config, Storage storage) {
        this(config.mqtt().embeddedBroker().orElse(storage.embedded()), config.mqtt().embeddedBrokerPort());
    }

    EmbeddedBroker(boolean enabled, Optional<Integer> configuredPort) {
        this.enabled = enabled;
        this.configuredPort = configuredPort;
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * The broker's URL, starting it if it is not running yet.
     *
     * @throws ProblemException (503) naming {@value #PORT_SETTING} when the configured port is taken
     */
    public synchronized String url() {
        if (!enabled) {
            throw new IllegalStateException("The in-JVM MQTT broker is off (tracemark.mqtt.embedded-broker)");
        }
        if (server == null) {
            try {
                if (configuredPort.isPresent()) {
                    server = start(configuredPort.get());
                    port = configuredPort.get();
                } else {
                    startOnFreePort();
                }
            } catch (ProblemException refused) {
                LOG.error(refused.getMessage());
                throw refused;
            }
            LOG.infof("In-JVM MQTT broker listening on %s:%d", HOST, port);
        }
        return URL_WITHOUT_PORT + ":" + port;
    }

    private void startOnFreePort() {
        for (int attempt = 1;; attempt++) {
            int candidate = freePort();
            try {
                server = start(candidate);
                port = candidate;
                return;
            } catch (ProblemException taken) {
                if (attempt == FREE_PORT_ATTEMPTS) {
                    throw taken;
                }
            }
        }
    }

    private static Server start(int port) {
        Properties settings = new Properties();
        settings.setProperty(BrokerConstants.HOST_PROPERTY_NAME, HOST);
        settings.setProperty(BrokerConstants.PORT_PROPERTY_NAME, Integer.toString(port));
        settings.setProperty(BrokerConstants.WEB_SOCKET_PORT_PROPERTY_NAME, BrokerConstants.DISABLED_PORT_BIND);
        settings.setProperty(BrokerConstants.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
        settings.setProperty(BrokerConstants.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
        // Moquette would otherwise report its use to its authors over the internet.
        settings.setProperty(BrokerConstants.ENABLE_TELEMETRY_NAME, "false");
        settings.setProperty(BrokerConstants.NETTY_EPOLL_PROPERTY_NAME, "false");
        // Every marker command is a small request and reply: delayed ACKs would add tens of ms to each.
        settings.setProperty(BrokerConstants.NETTY_TCP_NODELAY_PROPERTY_NAME, "true");
        Server started = new Server();
        try {
            started.startServer(new MemoryConfig(settings));
            return started;
        } catch (IOException | RuntimeException e) {
            // Moquette reports a port in use as a RuntimeException, after starting its threads.
            stopQuietly(started, e);
            String detail = "The in-JVM MQTT broker cannot listen on " + HOST + ":" + port + " (" + e.getMessage()
                    + "; another MQTT broker there?): set " + PORT_SETTING + " to a free port, or leave it unset to"
                    + " take any free one";
            throw new ProblemException(ProblemType.UNAVAILABLE, detail);
        }
    }

    private static int freePort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free loopback port for the in-JVM MQTT broker", e);
        }
    }

    public synchronized boolean running() {
        return server != null;
    }

    private static void stopQuietly(Server failed, Exception cause) {
        try {
            failed.stopServer();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    synchronized void stop(@Observes ShutdownEvent event) {
        if (server != null) {
            server.stopServer();
            server = null;
        }
    }
}
