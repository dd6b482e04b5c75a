package io.tracemark.trace.marking;

import static io.tracemark.trace.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.tracemark.fixtures.MqttBroker;
import io.tracemark.marker.simulator.CameraFeed;
import io.tracemark.marker.simulator.EtchedImages;
import io.tracemark.marker.simulator.LineSettings;
import io.tracemark.marker.simulator.MqttMarkerFrontEnd;
import io.tracemark.marker.simulator.SimulatedCamera;
import io.tracemark.marker.simulator.VirtualMarker;
import io.tracemark.marker.transport.MqttSettings;
import io.tracemark.trace.Api;

/**
 * A batch on a line whose marker is the simulator, talking MQTT through a real broker, with the
 * simulator's reject gate fitted to the line. The line's marker configuration is made through the
 * API, as an integrator would.
 */
public final class SimulatedLine implements AutoCloseable {

    public final long batchId;
    public final long lineId;
    final VirtualMarker marker;
    final MqttSettings station;
    private final MqttMarkerFrontEnd frontEnd;
    private final StationPeripherals peripherals;

    private SimulatedLine(long batchId, long lineId, VirtualMarker marker, MqttSettings station,
            MqttMarkerFrontEnd frontEnd, StationPeripherals peripherals) {
        this.batchId = batchId;
        this.lineId = lineId;
        this.marker = marker;
        this.station = station;
        this.frontEnd = frontEnd;
        this.peripherals = peripherals;
    }

    /** A typical bottling line (20 items/s, a 16-order queue) behind the test suite's broker. */
    public static SimulatedLine start(StationPeripherals peripherals) {
        MqttSettings station = MqttBroker.newStation();
        return start(peripherals, station, markerConfiguration(station));
    }

    /** A typical bottling line whose marker configuration names no broker: the service brings its own. */
    static SimulatedLine behindEmbeddedBroker(StationPeripherals peripherals, String embeddedBrokerUrl) {
        MqttSettings station = MqttBroker.newStation();
        Map<String, Object> configuration = markerConfiguration(station);
        @SuppressWarnings("unchecked")
        Map<String, Object> transport = (Map<String, Object>) configuration.get("transport");
        transport.remove("brokerUrl");
        return start(peripherals, onBroker(station, embeddedBrokerUrl), configuration);
    }

    /** A typical bottling line behind a broker the test runs itself, e.g. to stop it mid-run. */
    static SimulatedLine behind(StationPeripherals peripherals, String brokerUrl) {
        MqttSettings station = onBroker(MqttBroker.newStation(), brokerUrl);
        return start(peripherals, station, markerConfiguration(station));
    }

    private static MqttSettings onBroker(MqttSettings station, String brokerUrl) {
        return MqttSettings.of(brokerUrl, station.topicPrefix(), station.site(), station.station(), station.clientId());
    }

    private static SimulatedLine start(StationPeripherals peripherals, MqttSettings station,
            Map<String, Object> configuration) {
        long batchId = Api.batch();
        long lineId = Api.lineOfBatch(batchId);
        asAdmin().body(configuration).put("/api/lines/" + lineId + "/marker").then().statusCode(200);
        VirtualMarker marker = new VirtualMarker(LineSettings.typical(42));
        MqttMarkerFrontEnd frontEnd = new MqttMarkerFrontEnd(marker, MqttBroker.markerSide(station));
        try {
            frontEnd.start();
        } catch (IOException e) {
            marker.close();
            throw new UncheckedIOException(e);
        }
        marker.startLine();
        peripherals.attach(lineId, marker.gate());
        return new SimulatedLine(batchId, lineId, marker, station, frontEnd, peripherals);
    }

    static Map<String, Object> markerConfiguration(MqttSettings station) {
        Map<String, Object> transport = new HashMap<>();
        transport.put("type", "mqtt");
        transport.put("brokerUrl", station.brokerUrl());
        transport.put("clientId", station.clientId());
        transport.put("topicPrefix", station.topicPrefix());
        transport.put("site", station.site());
        transport.put("station", station.station());
        return Map.of("dialect", "mqtt", "job", LineSettings.DEFAULT_JOB, "queueDepth", 8, "transport", transport);
    }

    /**
     * Fits the line with a verification camera: the simulator photographs each etch, readable or
     * not, and the run verifies every mark before its item may leave.
     */
    public SimulatedLine withCamera() {
        SimulatedCamera camera = new SimulatedCamera();
        marker.onEtch(CameraFeed.into(camera, EtchedImages.Degradation.LIGHT, 42));
        peripherals.attach(lineId, camera);
        return this;
    }

    /** Waits until the items the gate let through number {@code shipped}: they travel after their release. */
    void awaitShipped(long shipped) {
        await(() -> marker.statistics().shipped() >= shipped, Duration.ofSeconds(10),
                "the gate to let " + shipped + " items through");
    }

    public static void await(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Waited " + timeout.toSeconds() + " s for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("Interrupted while waiting for " + what);
            }
        }
    }

    @Override
    public void close() {
        peripherals.detach(lineId);
        frontEnd.close();
        marker.close();
        MqttBroker.forget(station);
    }
}
