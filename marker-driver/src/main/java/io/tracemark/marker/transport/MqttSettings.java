package io.tracemark.marker.transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * How one station reaches its marker through an MQTT broker. Every topic of the station lies under
 * {@link #baseTopic()}, {@code {topicPrefix}/{site}/{station}}.
 *
 * <p>Build it with {@link #of} and the {@code with...} methods; the constructor checks every
 * component and says which one is wrong.
 *
 * @param brokerUrl          {@code tcp://host[:port]} or {@code ssl://host[:port]}
 * @param username           the broker account, or null to connect anonymously
 * @param password           the account's password, or null; only together with a username
 * @param trustStore         a JKS or PKCS#12 file with the certificates that sign the broker's,
 *                           or null to trust the JVM's default authorities; only for ssl://
 * @param trustStorePassword the trust store's password, or null when it has none
 * @param clientId           the session's name at the broker; keep it stable per station, since a
 *                           persistent session is found again by it
 * @param topicPrefix        one or more topic levels in front of site and station, e.g. "tracemark"
 * @param site               one topic level naming the factory
 * @param station            one topic level naming the marking station
 * @param qos                quality of service of publishes and subscriptions, 0 to 2
 * @param cleanSession       false keeps a persistent session: the broker remembers the
 *                           subscriptions and keeps QoS 1 and 2 messages while the client is away
 * @param connectTimeout     longest wait for the broker to accept the connection (whole seconds)
 * @param keepAlive          ping interval; the broker declares the client gone, and publishes its
 *                           last will, after 1.5 times this without a word (whole seconds)
 * @param ackTimeout         longest wait for the broker to acknowledge a publish, subscribe or
 *                           disconnect
 */
public record MqttSettings(String brokerUrl, String username, String password, Path trustStore,
        String trustStorePassword, String clientId, String topicPrefix, String site, String station, int qos,
        boolean cleanSession, Duration connectTimeout, Duration keepAlive, Duration ackTimeout) {

    public static final int DEFAULT_QOS = 1;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Short, so that a marker whose cable is pulled is declared gone within about 8 seconds. */
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(5);
    public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(5);

    private static final Pattern CLIENT_ID = Pattern.compile("[0-9A-Za-z._:-]{1,128}");
    private static final int MAX_WHOLE_SECONDS = 65_535;

    public MqttSettings {
        checkBrokerUrl(brokerUrl);
        if (password != null && username == null) {
            throw new IllegalArgumentException("An MQTT password needs a username (MQTT 3.1.1 sends neither alone)");
        }
        if (trustStore != null && !brokerUrl.startsWith("ssl://")) {
            throw new IllegalArgumentException("A trust store only applies to an ssl:// broker, not " + brokerUrl);
        }
        if (trustStore == null && trustStorePassword != null) {
            throw new IllegalArgumentException("A trust store password was given without a trust store");
        }
        if (clientId == null || !CLIENT_ID.matcher(clientId).matches()) {
            throw new IllegalArgumentException(
                    "An MQTT client id is 1 to 128 letters, digits or . _ : -, not '" + clientId + "'");
        }
        checkTopicLevels("topic prefix", topicPrefix, true);
        checkTopicLevels("site", site, false);
        checkTopicLevels("station", station, false);
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("MQTT QoS is 0, 1 or 2, not " + qos);
        }
        checkSeconds("connect timeout", connectTimeout);
        checkSeconds("keep-alive", keepAlive);
        if (ackTimeout == null || ackTimeout.isNegative() || ackTimeout.isZero()) {
            throw new IllegalArgumentException("The MQTT ack timeout must be positive, not " + ackTimeout);
        }
    }

    /**
     * Settings with the defaults: anonymous, QoS 1, persistent session, 5 s connect timeout,
     * keep-alive and ack timeout.
     */
    public static MqttSettings of(String brokerUrl, String topicPrefix, String site, String station, String clientId) {
        return new MqttSettings(brokerUrl, null, null, null, null, clientId, topicPrefix, site, station, DEFAULT_QOS,
                false, DEFAULT_CONNECT_TIMEOUT, DEFAULT_KEEP_ALIVE, DEFAULT_ACK_TIMEOUT);
    }

    public MqttSettings withCredentials(String newUsername, String newPassword) {
        return new MqttSettings(brokerUrl, newUsername, newPassword, trustStore, trustStorePassword, clientId,
                topicPrefix, site, station, qos, cleanSession, connectTimeout, keepAlive, ackTimeout);
    }

    public MqttSettings withTrustStore(Path newTrustStore, String newTrustStorePassword) {
        return new MqttSettings(brokerUrl, username, password, newTrustStore, newTrustStorePassword, clientId,
                topicPrefix, site, station, qos, cleanSession, connectTimeout, keepAlive, ackTimeout);
    }

    public MqttSettings withClientId(String newClientId) {
        return new MqttSettings(brokerUrl, username, password, trustStore, trustStorePassword, newClientId,
                topicPrefix, site, station, qos, cleanSession, connectTimeout, keepAlive, ackTimeout);
    }

    public MqttSettings withQos(int newQos) {
        return new MqttSettings(brokerUrl, username, password, trustStore, trustStorePassword, clientId,
                topicPrefix, site, station, newQos, cleanSession, connectTimeout, keepAlive, ackTimeout);
    }

    public MqttSettings withCleanSession(boolean newCleanSession) {
        return new MqttSettings(brokerUrl, username, password, trustStore, trustStorePassword, clientId,
                topicPrefix, site, station, qos, newCleanSession, connectTimeout, keepAlive, ackTimeout);
    }

    public MqttSettings withConnectTimeout(Duration newConnectTimeout) {
        return new MqttSettings(brokerUrl, username, password, trustStore, trustStorePassword, clientId,
                topicPrefix, site, station, qos, cleanSession, newConnectTimeout, keepAlive, ackTimeout);
    }

    public MqttSettings withKeepAlive(Duration newKeepAlive) {
        return new MqttSettings(brokerUrl, username, password, trustStore, trustStorePassword, clientId,
                topicPrefix, site, station, qos, cleanSession, connectTimeout, newKeepAlive, ackTimeout);
    }

    public MqttSettings withAckTimeout(Duration newAckTimeout) {
        return new MqttSettings(brokerUrl, username, password, trustStore, trustStorePassword, clientId,
                topicPrefix, site, station, qos, cleanSession, connectTimeout, keepAlive, newAckTimeout);
    }

    /** {@code {topicPrefix}/{site}/{station}}: every topic of this station lies below it. */
    public String baseTopic() {
        return topicPrefix + "/" + site + "/" + station;
    }

    /** The absolute topic of {@code relative}, e.g. "cmd" becomes "tracemark/plant1/line3/cmd". */
    public String topic(String relative) {
        if (relative == null || relative.isEmpty() || relative.startsWith("/") || relative.indexOf('+') >= 0
                || relative.indexOf('#') >= 0) {
            throw new IllegalArgumentException("A relative topic is one or more levels without wildcards, not '"
                    + relative + "'");
        }
        return baseTopic() + "/" + relative;
    }

    /** The topic relative to {@link #baseTopic()}, or null when {@code absolute} lies elsewhere. */
    public String relativeTopic(String absolute) {
        String base = baseTopic() + "/";
        return absolute.startsWith(base) ? absolute.substring(base.length()) : null;
    }

    /** The connect timeout in the whole seconds MQTT clients are configured with, rounded up. */
    public int connectTimeoutSeconds() {
        return wholeSeconds(connectTimeout);
    }

    /** The keep-alive in the whole seconds the MQTT CONNECT packet carries, rounded up. */
    public int keepAliveSeconds() {
        return wholeSeconds(keepAlive);
    }

    /**
     * The socket factory for the broker connection: Nagle's algorithm off, and for ssl:// the
     * trust of {@link #trustStore()} when one is given (else the JVM's default trust).
     *
     * @throws IOException naming the file when it cannot be read or is not a trust store
     */
    public SocketFactory socketFactory() throws IOException {
        if (!brokerUrl.startsWith("ssl://")) {
            return NoDelaySockets.plain();
        }
        if (trustStore == null) {
            return NoDelaySockets.tls((SSLSocketFactory) SSLSocketFactory.getDefault());
        }
        char[] secret = trustStorePassword == null ? null : trustStorePassword.toCharArray();
        try (InputStream in = Files.newInputStream(trustStore)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(in, secret);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, trust.getTrustManagers(), null);
            return NoDelaySockets.tls(tls.getSocketFactory());
        } catch (GeneralSecurityException e) {
            throw new IOException("MQTT trust store " + trustStore + " cannot be used: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IOException("MQTT trust store " + trustStore + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** For logs and alarms, e.g. "mqtt tcp://broker:1883 tracemark/plant1/line3 as line3-driver". */
    public String describe() {
        return "mqtt " + brokerUrl + " " + baseTopic() + " as " + clientId;
    }

    /** Like the generated one, but never shows a password. */
    @Override
    public String toString() {
        return "MqttSettings[brokerUrl=" + brokerUrl + ", username=" + username
                + ", password=" + (password == null ? "none" : "***") + ", trustStore=" + trustStore
                + ", trustStorePassword=" + (trustStorePassword == null ? "none" : "***") + ", clientId=" + clientId
                + ", baseTopic=" + topicPrefix + "/" + site + "/" + station + ", qos=" + qos
                + ", cleanSession=" + cleanSession + ", connectTimeout=" + connectTimeout + ", keepAlive=" + keepAlive
                + ", ackTimeout=" + ackTimeout + "]";
    }

    private static void checkBrokerUrl(String url) {
        String problem = null;
        if (url == null || !(url.startsWith("tcp://") || url.startsWith("ssl://"))) {
            problem = "it must start with tcp:// or ssl://";
        } else {
            try {
                URI uri = new URI(url);
                if (uri.getHost() == null) {
                    problem = "it names no host";
                } else if ((uri.getPath() != null && !uri.getPath().isEmpty()) || uri.getQuery() != null
                        || uri.getUserInfo() != null) {
                    problem = "it must be only scheme, host and port (credentials go in username and password)";
                }
            } catch (URISyntaxException e) {
                problem = e.getMessage();
            }
        }
        if (problem != null) {
            throw new IllegalArgumentException("MQTT broker URL '" + url + "' is not usable: " + problem);
        }
    }

    private static void checkTopicLevels(String what, String value, boolean severalLevels) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("The MQTT " + what + " must not be empty");
        }
        if (value.startsWith("$")) {
            throw new IllegalArgumentException("The MQTT " + what + " must not start with $ (reserved for the broker): '"
                    + value + "'");
        }
        for (String level : value.split("/", -1)) {
            if (level.isEmpty() || level.contains("+") || level.contains("#") || level.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("The MQTT " + what + " '" + value
                        + "' must consist of non-empty topic levels without + or #");
            }
        }
        if (!severalLevels && value.contains("/")) {
            throw new IllegalArgumentException("The MQTT " + what + " is one topic level, without /: '" + value + "'");
        }
    }

    private static void checkSeconds(String what, Duration value) {
        if (value == null || value.isNegative() || value.isZero() || wholeSeconds(value) > MAX_WHOLE_SECONDS) {
            throw new IllegalArgumentException("The MQTT " + what + " must lie between 1 and " + MAX_WHOLE_SECONDS
                    + " seconds, not " + value);
        }
    }

    private static int wholeSeconds(Duration value) {
        long seconds = value.getSeconds() + (value.getNano() > 0 ? 1 : 0);
        return (int) Math.min(seconds, Integer.MAX_VALUE);
    }
}
