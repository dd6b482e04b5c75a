package io.tracemark.trace.marking;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.tracemark.marker.transport.SerialSettings;
import io.tracemark.marker.verify.Grade;
import io.tracemark.trace.problem.ProblemException;

/**
 * How one line's marking station reaches its marker: the dialect it speaks, the job it marks, and
 * the serial port, TCP connection or MQTT session that carries it. Only the fields of {@link #transport} are set.
 */
@Entity
public class LineMarker extends PanacheEntityBase {

    @Id
    public long lineId;

    @Column(nullable = false)
    public String dialect;

    @Column(nullable = false)
    public String job;

    @Column(nullable = false)
    public int queueDepth;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Grade minimumGrade;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public TransportKind transport;

    public String serialPort;
    public Integer serialBaud;
    public Integer serialDataBits;
    @Enumerated(EnumType.STRING)
    public SerialSettings.Parity serialParity;
    @Enumerated(EnumType.STRING)
    public SerialSettings.StopBits serialStopBits;
    @Enumerated(EnumType.STRING)
    public SerialSettings.FlowControl serialFlowControl;

    public String tcpHost;
    public Integer tcpPort;
    public Integer tcpConnectTimeoutMs;

    /** Empty means the in-JVM broker, where that is enabled. */
    public String mqttBrokerUrl;
    public String mqttUsername;
    /** Stored encrypted (storage.SealedSecrets), as is the trust store's password. */
    public String mqttPassword;
    public String mqttClientId;
    public String mqttTopicPrefix;
    public String mqttSite;
    public String mqttStation;
    /** A file of the trust-store folder (TrustStores), relative to it. */
    public String mqttTrustStore;
    public String mqttTrustStorePassword;

    @Column(nullable = false)
    public String updatedBy;

    @Column(nullable = false)
    public OffsetDateTime updatedAt;

    public static java.util.Optional<LineMarker> ofLine(long lineId) {
        return findByIdOptional(lineId);
    }

    /** The markers that keep a password. */
    public static java.util.List<LineMarker> withSecrets() {
        return list("mqttPassword is not null or mqttTrustStorePassword is not null");
    }

    /** The marker configuration of a line; a 404 problem when it has none. */
    public static LineMarker require(long lineId) {
        return ofLine(lineId).orElseThrow(() -> ProblemException.notFound("Marker configuration of line", lineId));
    }
}
