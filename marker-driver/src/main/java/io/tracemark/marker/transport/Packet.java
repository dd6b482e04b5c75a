package io.tracemark.marker.transport;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One unit of data on a link. Byte-stream links (serial) carry chunks as they arrive, with no
 * topic; message links (MQTT) carry whole messages, the topic relative to the station's base topic.
 */
public record Packet(String topic, byte[] payload, boolean retained) {

    public Packet {
        payload = payload.clone();
    }

    public static Packet bytes(byte[] payload) {
        return new Packet(null, payload, false);
    }

    public static Packet message(String topic, String text) {
        return new Packet(topic, text.getBytes(StandardCharsets.UTF_8), false);
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Packet p && java.util.Objects.equals(topic, p.topic) && retained == p.retained
                && Arrays.equals(payload, p.payload);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(topic, retained) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "Packet[" + (topic == null ? "" : topic + " ") + payload.length + " bytes]";
    }
}
