package io.tracemark.trace.marking;

/** How a station reaches its marker. */
public enum TransportKind {
    SERIAL, MQTT
}
