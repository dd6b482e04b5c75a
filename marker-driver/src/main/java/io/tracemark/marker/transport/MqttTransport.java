package io.tracemark.marker.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The driver's side of an MQTT link: one session at the broker for one station, subscribed to the
 * topics its dialect listens on. Packets carry topics relative to {@link MqttSettings#baseTopic()}.
 *
 * <p>The driver announces itself on {@code {base}/driver}, retained: {@code {"online":true}} once
 * connected, {@code {"online":false}} when it closes, and the same as its last will, which the
 * broker publishes when the driver vanishes without closing. A marker thereby knows whether anyone
 * is listening to it.
 *
 * <p>In-flight messages are kept in memory only: a driver that restarts has lost its half-sent
 * commands anyway, and the dialect reconciles with the marker rather than replaying them. With
 * a persistent session ({@code cleanSession=false}) the broker still keeps what the marker said
 * while the driver was away, and hands it over on the next {@link #open}.
 *
 * <p>Inbound packets and link loss reach the listener on one thread of this transport, in the order
 * the broker sent them, never on the MQTT client's own callback thread: a listener may therefore
 * call {@link #send} (which waits for the broker) without stalling the client.
 */
public final class MqttTransport implements Transport {

    private static final System.Logger LOG = System.getLogger(MqttTransport.class.getName());

    /** Where the driver's presence is published, relative to the base topic. */
    public static final String PRESENCE_TOPIC = "driver";
    private static final String ONLINE = "{\"online\":true}";
    private static final String OFFLINE = "{\"online\":false}";

    private final MqttSettings settings;
    private final List<String> subscriptions;
    private final Object lock = new Object();
    private Session session;

    /**
     * @param settings      where to connect, and as whom
     * @param subscriptions the topics to receive, relative to the base topic, e.g. "reply", "event"
     */
    public MqttTransport(MqttSettings settings, List<String> subscriptions) {
        this.settings = settings;
        this.subscriptions = List.copyOf(subscriptions);
        for (String topic : this.subscriptions) {
            settings.topic(topic); // refuses a wildcard or empty topic now rather than at open()
        }
    }

    public MqttSettings settings() {
        return settings;
    }

    @Override
    public void open(Listener listener) throws IOException {
        synchronized (lock) {
            if (session != null && !session.ended) {
                throw new IllegalStateException(describe() + " is already open");
            }
            Session fresh = new Session(listener);
            fresh.start();
            session = fresh;
        }
    }

    @Override
    public void send(Packet packet) throws IOException {
        Session current;
        synchronized (lock) {
            current = session;
        }
        if (current == null || current.ended) {
            throw new IOException("Not connected: " + describe());
        }
        current.publish(packet.topic(), packet.payload(), packet.retained());
    }

    @Override
    public boolean isOpen() {
        synchronized (lock) {
            return session != null && !session.ended && session.client.isConnected();
        }
    }

    @Override
    public String describe() {
        return settings.describe();
    }

    /** Announces the driver offline and disconnects cleanly; the listener hears nothing more. */
    @Override
    public void close() {
        Session ending;
        synchronized (lock) {
            ending = session;
            session = null;
        }
        if (ending != null) {
            ending.close();
        }
    }

    /** One connection: from a successful {@link #open} to {@link #close} or the loss of the link. */
    private final class Session implements MqttCallback {

        final MqttAsyncClient client;
        final Listener listener;
        /** The listener's thread: delivers in broker order, away from the client's callback thread. */
        final ExecutorService inbox;
        volatile boolean ended;

        Session(Listener listener) throws IOException {
            this.listener = listener;
            try {
                this.client = new MqttAsyncClient(settings.brokerUrl(), settings.clientId(), new MemoryPersistence());
            } catch (MqttException e) {
                throw new IOException("Cannot create an MQTT client for " + describe() + ": " + e.getMessage(), e);
            }
            this.inbox = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "mqtt-inbox " + settings.clientId());
                thread.setDaemon(true);
                return thread;
            });
        }

        void start() throws IOException {
            // Set before connecting: a persistent session's backlog arrives right after CONNACK.
            client.setCallback(this);
            try {
                // Paho enforces the connect timeout itself; the extra second only guards against it hanging.
                await(client.connect(connectOptions()), settings.connectTimeout().plusSeconds(1), "connect",
                        "connect timeout");
                subscribe();
                publish(PRESENCE_TOPIC, ascii(ONLINE), true);
            } catch (IOException e) {
                abandon();
                throw e;
            } catch (MqttException e) {
                abandon();
                throw new IOException("Cannot connect to MQTT broker " + settings.brokerUrl() + " as "
                        + settings.clientId() + ": " + reason(e), e);
            }
        }

        private MqttConnectOptions connectOptions() throws IOException {
            MqttConnectOptions options = new MqttConnectOptions();
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            options.setCleanSession(settings.cleanSession());
            options.setConnectionTimeout(settings.connectTimeoutSeconds());
            options.setKeepAliveInterval(settings.keepAliveSeconds());
            // The pipeline reconnects with its own backoff and reconciles; a silent reconnect would hide the gap.
            options.setAutomaticReconnect(false);
            if (settings.username() != null) {
                options.setUserName(settings.username());
            }
            if (settings.password() != null) {
                options.setPassword(settings.password().toCharArray());
            }
            options.setSocketFactory(settings.socketFactory());
            options.setWill(settings.topic(PRESENCE_TOPIC), ascii(OFFLINE), settings.qos(), true);
            return options;
        }

        private void subscribe() throws IOException, MqttException {
            if (subscriptions.isEmpty()) {
                return;
            }
            String[] topics = subscriptions.stream().map(settings::topic).toArray(String[]::new);
            int[] qos = new int[topics.length];
            Arrays.fill(qos, settings.qos());
            IMqttToken token = client.subscribe(topics, qos);
            await(token, settings.ackTimeout(), "subscription", "ack timeout");
            int[] granted = token.getGrantedQos();
            for (int i = 0; i < granted.length && i < topics.length; i++) {
                if (granted[i] == 0x80) {
                    throw new IOException("MQTT broker " + settings.brokerUrl() + " refused the subscription to "
                            + topics[i] + " for " + settings.clientId());
                }
            }
        }

        void publish(String relativeTopic, byte[] payload, boolean retained) throws IOException {
            String topic = settings.topic(relativeTopic);
            try {
                IMqttDeliveryToken token = client.publish(topic, payload, settings.qos(), retained);
                await(token, settings.ackTimeout(), "publish to " + topic, "ack timeout");
            } catch (MqttException e) {
                throw new IOException("Cannot publish to " + topic + " at MQTT broker " + settings.brokerUrl() + ": "
                        + reason(e), e);
            }
        }

        private void await(IMqttToken token, Duration limit, String what, String timeoutName)
                throws IOException, MqttException {
            try {
                token.waitForCompletion(limit.toMillis());
            } catch (MqttException e) {
                if (e.getReasonCode() == MqttException.REASON_CODE_CLIENT_TIMEOUT) {
                    throw new IOException("MQTT broker " + settings.brokerUrl() + " did not acknowledge the " + what
                            + " within the " + timeoutName + " of " + limit.toMillis() + " ms", e);
                }
                throw e;
            }
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            if (ended) {
                return;
            }
            String relative = settings.relativeTopic(topic);
            Packet packet = new Packet(relative == null ? topic : relative, message.getPayload(), message.isRetained());
            deliver(() -> listener.received(packet));
        }

        @Override
        public void connectionLost(Throwable cause) {
            if (ended) {
                return;
            }
            ended = true;
            String reason = "Connection to MQTT broker " + settings.brokerUrl() + " lost: " + reason(cause);
            deliver(() -> listener.lost(reason));
            inbox.execute(this::release);
            inbox.shutdown();
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // send() waits on the token itself.
        }

        private void deliver(Runnable report) {
            try {
                inbox.execute(() -> {
                    try {
                        report.run();
                    } catch (RuntimeException e) {
                        // A faulty listener must not silence the link for every later message.
                        LOG.log(System.Logger.Level.ERROR, "Listener of " + describe() + " failed", e);
                    }
                });
            } catch (RejectedExecutionException closed) {
                // Closed meanwhile: the listener was promised silence after close().
            }
        }

        void close() {
            boolean wasLive = !ended;
            ended = true;
            inbox.shutdown();
            if (wasLive && client.isConnected()) {
                try {
                    // The will only covers vanishing; a clean goodbye has to be said.
                    publish(PRESENCE_TOPIC, ascii(OFFLINE), true);
                    client.disconnect(0).waitForCompletion(settings.ackTimeout().toMillis());
                } catch (IOException | MqttException e) {
                    abandon();
                    return;
                }
            }
            release();
        }

        /** Drops the connection without a goodbye; used when it never got going. */
        private void abandon() {
            ended = true;
            inbox.shutdown();
            try {
                client.disconnectForcibly(0, settings.ackTimeout().toMillis(), false);
            } catch (MqttException ignored) {
                // Not connected at all: nothing to drop.
            }
            release();
        }

        private void release() {
            try {
                client.close();
            } catch (MqttException ignored) {
                // Still tearing down on its own threads; they end when the socket is gone.
            }
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String reason(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        if (e instanceof MqttException mqtt) {
            text.append(" (").append(mqtt.getReasonCode()).append(')');
        }
        Throwable cause = e.getCause();
        if (cause != null && cause != e && cause.getMessage() != null) {
            text.append(": ").append(cause.getMessage());
        }
        return text.toString();
    }
}
