package io.tracemark.bench.marking;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.tracemark.marker.transport.Packet;
import io.tracemark.marker.transport.Transport;

/**
 * A transport that records every packet the dialect writes and every packet it is handed, with the
 * time and the bytes, and passes everything through unchanged. It sits right under the dialect, so
 * the bytes it counts are exactly what the dialect puts on the link and takes from it, and its times
 * are when the dialect wrote and when it could first read. The payloads are only decoded after the
 * run, so the measured conversation pays for a timestamp and a queue insertion per packet.
 */
final class WireTap implements Transport {

    enum Direction {
        /** Driver to marker. */
        OUT,
        /** Marker to driver. */
        IN
    }

    /** One packet as the dialect saw it: {@code topic} is null on a serial link. */
    record Event(long nanos, Direction direction, String topic, byte[] payload) {
    }

    private final Transport delegate;
    private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();

    WireTap(Transport delegate) {
        this.delegate = delegate;
    }

    @Override
    public void open(Listener listener) throws IOException {
        delegate.open(new Listener() {
            @Override
            public void received(Packet packet) {
                events.add(new Event(System.nanoTime(), Direction.IN, packet.topic(), packet.payload()));
                listener.received(packet);
            }

            @Override
            public void lost(String reason) {
                listener.lost(reason);
            }
        });
    }

    @Override
    public void send(Packet packet) throws IOException {
        events.add(new Event(System.nanoTime(), Direction.OUT, packet.topic(), packet.payload()));
        delegate.send(packet);
    }

    @Override
    public boolean isOpen() {
        return delegate.isOpen();
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** Everything recorded so far, in the order it was recorded. */
    List<Event> events() {
        return new ArrayList<>(events);
    }
}
