package io.tracemark.trace.marking;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.tracemark.marker.pipeline.RejectGate;
import io.tracemark.marker.verify.Camera;

/**
 * The verification camera and reject gate fitted to each line, by line id. A line with neither
 * is a valid station: its codes stop at MARKED and every marked item leaves. Integrations attach
 * their devices here before a run starts; a run uses what its line had when it started.
 */
@ApplicationScoped
public class StationPeripherals {

    private final Map<Long, Camera> cameras = new ConcurrentHashMap<>();
    private final Map<Long, RejectGate> gates = new ConcurrentHashMap<>();

    public void attach(long lineId, Camera camera) {
        cameras.put(lineId, camera);
    }

    public void attach(long lineId, RejectGate gate) {
        gates.put(lineId, gate);
    }

    /** Removes the line's camera and gate. */
    public void detach(long lineId) {
        cameras.remove(lineId);
        gates.remove(lineId);
    }

    public Optional<Camera> camera(long lineId) {
        return Optional.ofNullable(cameras.get(lineId));
    }

    public Optional<RejectGate> gate(long lineId) {
        return Optional.ofNullable(gates.get(lineId));
    }
}
