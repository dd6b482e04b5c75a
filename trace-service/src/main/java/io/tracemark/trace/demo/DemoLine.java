package io.tracemark.trace.demo;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.tracemark.marker.simulator.CameraFeed;
import io.tracemark.marker.simulator.EtchedImages;
import io.tracemark.marker.simulator.LineSettings;
import io.tracemark.marker.simulator.MqttMarkerFrontEnd;
import io.tracemark.marker.simulator.SimulatedCamera;
import io.tracemark.marker.simulator.VirtualMarker;
import io.tracemark.marker.transport.MqttSettings;
import io.tracemark.trace.marking.StationPeripherals;

/**
 * The demo factory's line: the driver's virtual marker over a moving line, answering in the mqtt
 * dialect on the in-JVM broker as a real marker would on the plant's, with a camera that
 * photographs every etch (slightly worn) and the fail-safe reject gate, both fitted to the line so
 * that every item is verified before it may leave.
 */
final class DemoLine implements AutoCloseable {

    private static final long SEED = 1;

    private final long lineId;
    private final VirtualMarker marker;
    private final MqttMarkerFrontEnd frontEnd;
    private final StationPeripherals peripherals;

    private DemoLine(long lineId, VirtualMarker marker, MqttMarkerFrontEnd frontEnd, StationPeripherals peripherals) {
        this.lineId = lineId;
        this.marker = marker;
        this.frontEnd = frontEnd;
        this.peripherals = peripherals;
    }

    /** Brings the marker online at {@code markerSide} and fits the line with its camera and gate. */
    static DemoLine start(long lineId, MqttSettings markerSide, double itemsPerSecond,
            StationPeripherals peripherals) {
        VirtualMarker marker = new VirtualMarker(LineSettings.typical(SEED).withSpeed(itemsPerSecond));
        SimulatedCamera camera = new SimulatedCamera();
        marker.onEtch(CameraFeed.into(camera, EtchedImages.Degradation.LIGHT, SEED));
        MqttMarkerFrontEnd frontEnd = new MqttMarkerFrontEnd(marker, markerSide);
        try {
            frontEnd.start();
        } catch (IOException e) {
            marker.close();
            throw new UncheckedIOException("The demo's simulated marker could not reach the in-JVM broker", e);
        }
        marker.startLine();
        peripherals.attach(lineId, camera);
        peripherals.attach(lineId, marker.gate());
        return new DemoLine(lineId, marker, frontEnd, peripherals);
    }

    @Override
    public void close() {
        peripherals.detach(lineId);
        frontEnd.close();
        marker.close();
    }
}
