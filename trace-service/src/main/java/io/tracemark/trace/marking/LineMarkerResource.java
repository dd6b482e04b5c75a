package io.tracemark.trace.marking;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import io.quarkus.security.identity.SecurityIdentity;
import io.tracemark.marker.Dialects;
import io.tracemark.marker.transport.SerialSettings;
import io.tracemark.marker.transport.TcpSettings;
import io.tracemark.marker.verify.Grade;
import io.tracemark.trace.problem.Problem;
import io.tracemark.trace.problem.ProblemException;
import io.tracemark.trace.problem.ProblemType;
import io.tracemark.trace.roles.Roles;
import io.tracemark.trace.security.StationScope;
import io.tracemark.trace.site.Line;
import io.tracemark.trace.site.LineResource;
import io.tracemark.trace.storage.SealedSecrets;

/** Each line's marker configuration: what the service needs to drive that line's marker in a run. */
@Path("/api/lines/{lineId}/marker")
@Tag(name = "Marking")
public class LineMarkerResource {

    public static final int DEFAULT_QUEUE_DEPTH = 8;
    public static final Grade DEFAULT_MINIMUM_GRADE = Grade.C;
    static final String DEFAULT_TOPIC_PREFIX = "tracemark";
    static final Set<String> BROKER_SCHEMES = Set.of("tcp", "ssl");
    private static final BigDecimal ONE_AND_A_HALF = new BigDecimal("1.5");
    private static final Set<BigDecimal> STOP_BITS = Set.of(BigDecimal.ONE, ONE_AND_A_HALF, new BigDecimal("2"));
    // MQTT topic levels: no wildcards, no separators, no spaces, and no leading '$', which brokers reserve.
    private static final String TOPIC_LEVEL = "(?!\\$)[^+#/\\s]+";

    private final SecurityIdentity identity;
    private final EmbeddedBroker broker;
    private final MarkerLinks links;
    private final SealedSecrets secrets;
    private final TrustStores trustStores;

    public LineMarkerResource(SecurityIdentity identity, EmbeddedBroker broker, MarkerLinks links,
            SealedSecrets secrets, TrustStores trustStores) {
        this.identity = identity;
        this.broker = broker;
        this.links = links;
        this.secrets = secrets;
        this.trustStores = trustStores;
    }

    public record MarkerInput(
            @NotBlank @Size(max = 40) String dialect,
            @NotBlank @Size(max = 100) @Pattern(regexp = "[ -~]+", message = "must be printable ASCII") String job,
            @Min(1) @Max(1000) Integer queueDepth,
            Grade minimumGrade,
            @NotNull @Valid TransportInput transport) {
    }

    /** The link to the marker; {@code type} tells which. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({ @JsonSubTypes.Type(value = SerialInput.class, name = "serial"),
            @JsonSubTypes.Type(value = TcpInput.class, name = "tcp"),
            @JsonSubTypes.Type(value = MqttInput.class, name = "mqtt") })
    public sealed interface TransportInput permits SerialInput, TcpInput, MqttInput {
    }

    /**
     * A marker's Ethernet command port; the connect timeout defaults to 3000 ms. Keep-alive is
     * always on, so that a marker gone without closing the connection is noticed.
     */
    public record TcpInput(
            @NotBlank @Size(max = 253) @Pattern(regexp = "[0-9A-Za-z.:-]+", message = "must be a host name or an IP address") String host,
            @NotNull @Min(1) @Max(65535) Integer port,
            @Min(100) @Max(60000) Integer connectTimeoutMs)
            implements TransportInput {
    }

    /** A serial port; everything but the port defaults to 9600 baud 8N1 without flow control. */
    public record SerialInput(
            @NotBlank @Size(max = 200) String port,
            @Min(SerialSettings.MIN_BAUD) @Max(SerialSettings.MAX_BAUD) Integer baud,
            @Min(5) @Max(8) Integer dataBits,
            @Pattern(regexp = "none|even|odd|mark|space", message = "must be none, even, odd, mark or space") String parity,
            BigDecimal stopBits,
            @Pattern(regexp = "none|rtscts|xonxoff", message = "must be none, rtscts or xonxoff") String flowControl)
            implements TransportInput {
    }

    /**
     * An MQTT session. No broker URL means the service's in-JVM broker. The passwords are write-only:
     * leave one out to keep the stored one, send an empty one to remove it; they are stored
     * encrypted. {@code trustStore} names a file of the service's trust-store folder
     * (TRACEMARK_MARKING_TRUST_STORE_DIR) that holds the CA of an ssl:// broker, when the JVM's own
     * trust does not.
     */
    public record MqttInput(
            @Size(max = 500) String brokerUrl,
            @Size(max = 200) String username,
            @Size(max = 200) String password,
            @Pattern(regexp = "[0-9A-Za-z._-]{1,64}", message = "must be 1 to 64 letters, digits, '.', '_' or '-'") String clientId,
            @Size(max = 100) @Pattern(regexp = TOPIC_LEVEL + "(/" + TOPIC_LEVEL + ")*",
                    message = "must be MQTT topic levels separated by '/', without wildcards or spaces") String topicPrefix,
            @Size(max = 64) @Pattern(regexp = TOPIC_LEVEL, message = "must be one MQTT topic level, without '/', wildcards or spaces") String site,
            @Size(max = 64) @Pattern(regexp = TOPIC_LEVEL, message = "must be one MQTT topic level, without '/', wildcards or spaces") String station,
            @Size(max = 500) String trustStore,
            @Size(max = 200) String trustStorePassword)
            implements TransportInput {
    }

    public record MarkerView(long lineId, String dialect, String job, int queueDepth, Grade minimumGrade,
            TransportView transport, String updatedBy, OffsetDateTime updatedAt) {

        static MarkerView of(LineMarker m) {
            TransportView transport = switch (m.transport) {
                case SERIAL -> new SerialView("serial", m.serialPort, m.serialBaud, m.serialDataBits,
                        m.serialParity.name().toLowerCase(Locale.ROOT), new BigDecimal(m.serialStopBits.text()),
                        m.serialFlowControl.keyword());
                case TCP -> new TcpView("tcp", m.tcpHost, m.tcpPort, m.tcpConnectTimeoutMs);
                case MQTT -> new MqttView("mqtt", m.mqttBrokerUrl, m.mqttUsername, m.mqttPassword != null,
                        m.mqttClientId, m.mqttTopicPrefix, m.mqttSite, m.mqttStation, m.mqttTrustStore,
                        m.mqttTrustStorePassword != null);
            };
            return new MarkerView(m.lineId, m.dialect, m.job, m.queueDepth, m.minimumGrade, transport, m.updatedBy,
                    m.updatedAt);
        }
    }

    public sealed interface TransportView permits SerialView, TcpView, MqttView {
    }

    public record TcpView(String type, String host, int port, int connectTimeoutMs) implements TransportView {
    }

    public record SerialView(String type, String port, int baud, int dataBits, String parity,
            BigDecimal stopBits, String flowControl) implements TransportView {
    }

    /** Passwords are never shown; {@code passwordSet} and {@code trustStorePasswordSet} tell whether one is stored. */
    public record MqttView(String type, String brokerUrl, String username, boolean passwordSet, String clientId,
            String topicPrefix, String site, String station, String trustStore, boolean trustStorePasswordSet)
            implements TransportView {
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.STATION, Roles.REGULATOR })
    @Operation(summary = "The line's marker configuration")
    public MarkerView get(@PathParam("lineId") long lineId) {
        LineResource.find(lineId);
        StationScope.requireLine(identity, lineId);
        return MarkerView.of(find(lineId));
    }

    @PUT
    @Transactional
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Configure the line's marker",
            description = "Replaces the whole configuration. Refused while a marking run is active on the line.")
    public MarkerView put(@PathParam("lineId") long lineId, @NotNull @Valid MarkerInput input) {
        Line line = LineResource.find(lineId);
        check(input);
        if (MarkingRun.activeOnLine(lineId)) {
            throw ProblemException.conflict("Line " + lineId + " has an active marking run; stop it before "
                    + "changing the marker configuration");
        }
        LineMarker stored = LineMarker.ofLine(lineId).orElse(null);
        boolean storedMqtt = stored != null && stored.transport == TransportKind.MQTT;
        String storedPassword = storedMqtt ? stored.mqttPassword : null;
        String storedTrustStorePassword = storedMqtt ? stored.mqttTrustStorePassword : null;
        LineMarker marker = stored == null ? new LineMarker() : stored;
        marker.lineId = lineId;
        marker.dialect = input.dialect();
        marker.job = input.job();
        marker.queueDepth = input.queueDepth() == null ? DEFAULT_QUEUE_DEPTH : input.queueDepth();
        marker.minimumGrade = input.minimumGrade() == null ? DEFAULT_MINIMUM_GRADE : input.minimumGrade();
        clearTransport(marker);
        if (input.transport() instanceof SerialInput serial) {
            marker.transport = TransportKind.SERIAL;
            marker.serialPort = serial.port();
            marker.serialBaud = serial.baud() == null ? 9600 : serial.baud();
            marker.serialDataBits = serial.dataBits() == null ? 8 : serial.dataBits();
            marker.serialParity = serial.parity() == null ? SerialSettings.Parity.NONE
                    : SerialSettings.Parity.valueOf(serial.parity().toUpperCase(Locale.ROOT));
            marker.serialStopBits = serial.stopBits() == null ? SerialSettings.StopBits.ONE
                    : stopBitsOf(serial.stopBits());
            marker.serialFlowControl = serial.flowControl() == null ? SerialSettings.FlowControl.NONE
                    : flowControlOf(serial.flowControl());
        } else if (input.transport() instanceof TcpInput tcp) {
            marker.transport = TransportKind.TCP;
            marker.tcpHost = tcp.host();
            marker.tcpPort = tcp.port();
            marker.tcpConnectTimeoutMs = tcp.connectTimeoutMs() == null
                    ? (int) TcpSettings.DEFAULT_CONNECT_TIMEOUT.toMillis() : tcp.connectTimeoutMs();
        } else if (input.transport() instanceof MqttInput mqtt) {
            marker.transport = TransportKind.MQTT;
            marker.mqttBrokerUrl = blankToNull(mqtt.brokerUrl());
            marker.mqttUsername = blankToNull(mqtt.username());
            marker.mqttPassword = marker.mqttUsername == null ? null
                    : mqtt.password() == null ? storedPassword : secrets.seal(blankToNull(mqtt.password()));
            marker.mqttClientId = mqtt.clientId() == null ? "tracemark-line-" + lineId : mqtt.clientId();
            marker.mqttTopicPrefix = mqtt.topicPrefix() == null ? DEFAULT_TOPIC_PREFIX : mqtt.topicPrefix();
            marker.mqttSite = mqtt.site() == null ? line.site.gln : mqtt.site();
            marker.mqttStation = mqtt.station() == null ? line.code : mqtt.station();
            marker.mqttTrustStore = blankToNull(mqtt.trustStore());
            marker.mqttTrustStorePassword = marker.mqttTrustStore == null ? null
                    : mqtt.trustStorePassword() == null ? storedTrustStorePassword
                            : secrets.seal(blankToNull(mqtt.trustStorePassword()));
        }
        marker.updatedBy = identity.getPrincipal().getName();
        marker.updatedAt = OffsetDateTime.now();
        // What the fields allow but the driver would refuse, such as a dialect on the other kind of
        // transport. Throwing rolls the changes above back.
        Optional<String> problem = links.problem(marker);
        if (problem.isPresent()) {
            throw ProblemException.invalid("transport", problem.get());
        }
        if (stored == null) {
            marker.persist();
        }
        return MarkerView.of(marker);
    }

    /** What bean validation cannot say: the dialect must be installed, the broker URL must be usable. */
    private void check(MarkerInput input) {
        List<Problem.Violation> violations = new ArrayList<>();
        Set<String> dialects = Dialects.available().keySet();
        String dialectName = input.dialect().contains(":")
                ? input.dialect().substring(0, input.dialect().indexOf(':')) : input.dialect();
        if (!dialects.contains(dialectName)) {
            violations.add(new Problem.Violation("dialect", "must be one of " + String.join(", ", dialects)
                    + ", not '" + input.dialect() + "'"));
        } else if (!dialectName.equals(input.dialect())) {
            try {
                Dialects.byName(input.dialect());
            } catch (IllegalArgumentException e) {
                violations.add(new Problem.Violation("dialect", e.getMessage()));
            }
        }
        if (input.transport() instanceof SerialInput serial && serial.stopBits() != null) {
            if (STOP_BITS.stream().noneMatch(bits -> bits.compareTo(serial.stopBits()) == 0)) {
                violations.add(new Problem.Violation("transport.stopBits", "must be 1, 1.5 or 2"));
            } else if (serial.stopBits().compareTo(ONE_AND_A_HALF) == 0
                    && (serial.dataBits() == null || serial.dataBits() != 5)) {
                violations.add(new Problem.Violation("transport.stopBits", "may be 1.5 only with 5 data bits"));
            }
        }
        if (input.transport() instanceof MqttInput mqtt) {
            String url = blankToNull(mqtt.brokerUrl());
            if (url == null && !broker.enabled()) {
                violations.add(new Problem.Violation("transport.brokerUrl", "is required: this service runs no "
                        + "in-JVM broker (tracemark.mqtt.embedded-broker is off)"));
            } else if (url != null && !usableBrokerUrl(url)) {
                violations.add(new Problem.Violation("transport.brokerUrl", "must be tcp://host[:port] or "
                        + "ssl://host[:port], e.g. tcp://broker.example.com:1883"));
            }
            String trustStore = blankToNull(mqtt.trustStore());
            if (trustStore != null && (url == null || !url.startsWith("ssl://"))) {
                violations.add(new Problem.Violation("transport.trustStore", "applies to an ssl:// broker only"));
            } else if (trustStore != null) {
                trustStores.problem(trustStore)
                        .ifPresent(problem -> violations.add(new Problem.Violation("transport.trustStore", problem)));
            }
            if (!secrets.available()) {
                if (!blank(mqtt.password())) {
                    violations.add(new Problem.Violation("transport.password", SealedSecrets.unavailableReason()));
                }
                if (!blank(mqtt.trustStorePassword())) {
                    violations.add(new Problem.Violation("transport.trustStorePassword",
                            SealedSecrets.unavailableReason()));
                }
            }
            if (mqtt.password() != null && !mqtt.password().isEmpty() && blankToNull(mqtt.username()) == null) {
                violations.add(new Problem.Violation("transport.password", "needs a username: MQTT sends neither "
                        + "alone"));
            }
        }
        if (!violations.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, violations.stream()
                    .map(v -> v.field() + ": " + v.message()).collect(Collectors.joining("; ")), violations);
        }
    }

    private static SerialSettings.StopBits stopBitsOf(BigDecimal bits) {
        String text = bits.stripTrailingZeros().toPlainString();
        return Arrays.stream(SerialSettings.StopBits.values()).filter(s -> s.text().equals(text)).findFirst()
                .orElseThrow();
    }

    private static SerialSettings.FlowControl flowControlOf(String keyword) {
        return Arrays.stream(SerialSettings.FlowControl.values()).filter(f -> f.keyword().equals(keyword))
                .findFirst().orElseThrow();
    }

    private static boolean usableBrokerUrl(String url) {
        try {
            URI uri = new URI(url);
            return uri.getScheme() != null && BROKER_SCHEMES.contains(uri.getScheme()) && uri.getHost() != null
                    && (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null
                    && uri.getRawUserInfo() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static void clearTransport(LineMarker m) {
        m.serialPort = null;
        m.serialBaud = null;
        m.serialDataBits = null;
        m.serialParity = null;
        m.serialStopBits = null;
        m.serialFlowControl = null;
        m.tcpHost = null;
        m.tcpPort = null;
        m.tcpConnectTimeoutMs = null;
        m.mqttBrokerUrl = null;
        m.mqttUsername = null;
        m.mqttPassword = null;
        m.mqttClientId = null;
        m.mqttTopicPrefix = null;
        m.mqttSite = null;
        m.mqttStation = null;
        m.mqttTrustStore = null;
        m.mqttTrustStorePassword = null;
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    public static LineMarker find(long lineId) {
        return LineMarker.require(lineId);
    }
}
