package io.tracemark.trace.marking;

import java.io.IOException;
import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.moquette.BrokerConstants;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.tracemark.trace.config.TracemarkConfig;
import io.tracemark.trace.storage.Storage;

/**
 * The MQTT broker of the zero-install default: a station whose MQTT transport names no broker
 * reaches its marker through this one, inside the service, on a loopback port. It starts when a
 * run first needs it and keeps nothing on disk: a marker's MQTT session is as durable as the
 * service that holds the broker.
 */
@ApplicationScoped
public class EmbeddedBroker {

    private static final Logger LOG = Logger.getLogger(EmbeddedBroker.class);
    static final String HOST = "127.0.0.1";
    static final String URL_WITHOUT_PORT = "tcp://" + HOST;

    private final boolean enabled;
    private final int port;
    private Server server;

    public EmbeddedBroker(TracemarkConfig config, Storage storage) {
        this.enabled = config.mqtt().embeddedBroker().orElse(storage.embedded());
        this.port = config.mqtt().embeddedBrokerPort();
    }

    public boolean enabled() {
        return enabled;
    }

    /** The broker's URL, starting it if it is not running yet. */
    public synchronized String url() {
        if (!enabled) {
            throw new IllegalStateException("The in-JVM MQTT broker is off (tracemark.mqtt.embedded-broker)");
        }
        if (server == null) {
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
            } catch (IOException | RuntimeException e) {
                // Moquette reports a port in use as a RuntimeException, after starting its threads.
                stopQuietly(started, e);
                throw new IllegalStateException("The in-JVM MQTT broker cannot listen on " + HOST + ":" + port
                        + " (another MQTT broker there? choose a free port with TRACEMARK_MQTT_EMBEDDED_BROKER_PORT): "
                        + e.getMessage(), e);
            }
            server = started;
            LOG.infof("In-JVM MQTT broker listening on %s:%d", HOST, port);
        }
        return URL_WITHOUT_PORT + ":" + port;
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
