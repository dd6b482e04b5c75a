package io.tracemark.trace.marking;

/** How a station reaches its marker: RS-232C, its Ethernet command port, or an MQTT broker. */
public enum TransportKind {
    SERIAL, MQTT, TCP
}
