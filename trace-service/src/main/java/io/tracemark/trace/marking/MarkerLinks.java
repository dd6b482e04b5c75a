package io.tracemark.trace.marking;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.tracemark.marker.Dialect;
import io.tracemark.marker.Dialects;
import io.tracemark.marker.MarkerTimeouts;
import io.tracemark.marker.dialect.mqtt.MqttDialect;
import io.tracemark.marker.pipeline.MarkerLink;
import io.tracemark.marker.transport.MqttSettings;
import io.tracemark.marker.transport.SerialSettings;
import io.tracemark.marker.transport.SerialTransport;
import io.tracemark.marker.transport.TcpSettings;
import io.tracemark.marker.transport.TcpTransport;
import io.tracemark.marker.transport.Transport;
import io.tracemark.trace.storage.SealedSecrets;

/** Turns a line's stored marker configuration into the link its marking pipeline drives. */
@ApplicationScoped
public class MarkerLinks {

    private final EmbeddedBroker broker;
    private final SealedSecrets secrets;
    private final TrustStores trustStores;

    public MarkerLinks(EmbeddedBroker broker, SealedSecrets secrets, TrustStores trustStores) {
        this.broker = broker;
        this.secrets = secrets;
        this.trustStores = trustStores;
    }

    /**
     * Why this service cannot drive the configuration, or empty when it can. Nothing is opened or
     * started: a marker that is switched off still has a usable configuration.
     */
    public Optional<String> problem(LineMarker marker) {
        try {
            Dialect dialect = Dialects.byName(marker.dialect);
            boolean mqttDialect = MqttDialect.NAME.equals(dialect.name());
            if (mqttDialect != (marker.transport == TransportKind.MQTT)) {
                return Optional.of("the " + dialect.name() + " dialect talks over "
                        + (mqttDialect ? "an mqtt" : "a serial or tcp") + " transport");
            }
            if (marker.transport == TransportKind.SERIAL) {
                serialSettings(marker);
            } else if (marker.transport == TransportKind.TCP) {
                dialect.checkTransport(new TcpTransport(tcpSettings(marker)));
            } else if (marker.mqttBrokerUrl == null && !broker.enabled()) {
                return Optional.of("no broker URL, and this service runs no in-JVM broker");
            } else {
                mqttSettings(marker, marker.mqttBrokerUrl == null ? EmbeddedBroker.URL_WITHOUT_PORT
                        : marker.mqttBrokerUrl);
            }
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** The link for a run; an MQTT station without a broker URL gets the in-JVM broker, started now. */
    public MarkerLink open(LineMarker marker) {
        Dialect dialect = Dialects.byName(marker.dialect);
        Transport transport = switch (marker.transport) {
            case SERIAL -> new SerialTransport(serialSettings(marker));
            case TCP -> new TcpTransport(tcpSettings(marker));
            case MQTT -> MqttDialect.transport(mqttSettings(marker,
                    marker.mqttBrokerUrl == null ? broker.url() : marker.mqttBrokerUrl));
        };
        return new MarkerLink(dialect, transport, MarkerTimeouts.defaults());
    }

    private static SerialSettings serialSettings(LineMarker m) {
        return new SerialSettings(m.serialPort, m.serialBaud, m.serialDataBits, m.serialParity, m.serialStopBits,
                m.serialFlowControl);
    }

    private static TcpSettings tcpSettings(LineMarker m) {
        return new TcpSettings(m.tcpHost, m.tcpPort, Duration.ofMillis(m.tcpConnectTimeoutMs), true);
    }

    /** The session's settings, with the stored passwords decrypted for the broker. */
    MqttSettings mqttSettings(LineMarker m, String brokerUrl) {
        MqttSettings settings = MqttSettings.of(brokerUrl, m.mqttTopicPrefix, m.mqttSite, m.mqttStation,
                m.mqttClientId);
        if (m.mqttTrustStore != null) {
            settings = settings.withTrustStore(trustStores.resolve(m.mqttTrustStore),
                    secrets.open(m.mqttTrustStorePassword));
        }
        return m.mqttUsername == null ? settings : settings.withCredentials(m.mqttUsername, secrets.open(m.mqttPassword));
    }
}
