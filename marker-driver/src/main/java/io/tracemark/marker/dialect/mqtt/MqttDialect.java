package io.tracemark.marker.dialect.mqtt;

import java.util.List;

import io.tracemark.marker.Dialect;
import io.tracemark.marker.MarkerListener;
import io.tracemark.marker.MarkerProtocol;
import io.tracemark.marker.MarkerTimeouts;
import io.tracemark.marker.transport.MqttSettings;
import io.tracemark.marker.transport.MqttTransport;
import io.tracemark.marker.transport.Transport;

/**
 * Markers that talk JSON over an MQTT broker, as specified in docs/markers/mqtt.md: commands on
 * {@code {base}/cmd}, answers on {@code reply}, unsolicited events on {@code event}, the marker's
 * retained state on {@code state}.
 *
 * <p>The transport must deliver the topics of {@link #SUBSCRIPTIONS}; {@link #transport} builds one
 * that does. Mark completions are passed on at least once: a QoS 1 duplicate reaches the listener
 * twice, and the pipeline settles each mark id once.
 */
public final class MqttDialect implements Dialect {

    public static final String NAME = "mqtt";

    /** What the driver listens to, relative to the station's base topic. */
    public static final List<String> SUBSCRIPTIONS = List.of(MqttCodec.REPLY, MqttCodec.EVENT, MqttCodec.STATE);

    /** For {@link java.util.ServiceLoader}. */
    public MqttDialect() {
    }

    /** A transport for a station of this dialect, subscribed to {@link #SUBSCRIPTIONS}. */
    public static MqttTransport transport(MqttSettings settings) {
        return new MqttTransport(settings, SUBSCRIPTIONS);
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Opens the transport and asks the marker for its status; fails with LINK_DOWN when the broker
     * cannot be reached, the marker's retained state says it is offline, or it does not answer
     * within {@link MarkerTimeouts#reply()}.
     */
    @Override
    public MarkerProtocol connect(Transport transport, MarkerListener listener, MarkerTimeouts timeouts) {
        return MqttMarkerProtocol.connect(transport, listener, timeouts);
    }
}
