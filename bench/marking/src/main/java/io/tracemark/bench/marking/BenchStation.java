package io.tracemark.bench.marking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.tracemark.fixtures.MqttBroker;
import io.tracemark.fixtures.marker.AsciiMarkerFrontEnd;
import io.tracemark.fixtures.marker.FramedMarkerFrontEnd;
import io.tracemark.marker.simulator.LineSettings;
import io.tracemark.marker.simulator.MqttMarkerFrontEnd;
import io.tracemark.fixtures.marker.PtyPair;
import io.tracemark.marker.simulator.SimulatedCamera;
import io.tracemark.fixtures.marker.SimulatedStation;
import io.tracemark.marker.simulator.VirtualMarker;
import io.tracemark.marker.Dialects;
import io.tracemark.marker.MarkerTimeouts;
import io.tracemark.marker.dialect.mqtt.MqttDialect;
import io.tracemark.marker.pipeline.MarkerLink;
import io.tracemark.marker.transport.MqttSettings;
import io.tracemark.marker.transport.SerialSettings;
import io.tracemark.marker.transport.SerialTransport;

/**
 * A simulated station as the benchmark drives it: either the fixtures' {@link SimulatedStation}
 * as it is, or the same virtual marker, front end and link without the camera feed.
 *
 * <p>{@link SimulatedStation} photographs every etch (a QR code rendered, blurred and noised,
 * about 1.5 ms of CPU) on the virtual marker's thread before the completion goes out, even when
 * the pipeline has no camera. At zero mark time that render, not the driver or the link, sets the
 * pace; the camera-less assembly shows what the driver and the link alone can do.
 */
final class BenchStation implements AutoCloseable {

    /** Stations not closed yet, for the shutdown hook: a stopped benchmark leaves no socat or broker session behind. */
    private static final Set<BenchStation> OPEN = ConcurrentHashMap.newKeySet();

    private final String dialect;
    private final VirtualMarker marker;
    private final SimulatedStation simulated;
    private final AutoCloseable frontEnd;
    private final MqttSettings mqtt;
    private final PtyPair cable;

    private BenchStation(String dialect, VirtualMarker marker, SimulatedStation simulated, AutoCloseable frontEnd,
            MqttSettings mqtt, PtyPair cable) {
        this.dialect = dialect;
        this.marker = marker;
        this.simulated = simulated;
        this.frontEnd = frontEnd;
        this.mqtt = mqtt;
        this.cable = cable;
        OPEN.add(this);
    }

    /** Closes every station still open; called when the JVM is asked to stop in the middle of a run. */
    static void closeAll() {
        for (BenchStation station : List.copyOf(OPEN)) {
            try {
                station.close();
            } catch (RuntimeException e) {
                System.err.println("closing the " + station.dialect + " station failed: " + e.getMessage());
            }
        }
    }

    /** The fixtures' station: marker, camera feed, front end, real link. */
    static BenchStation simulated(String dialect, LineSettings line) {
        SimulatedStation station = SimulatedStation.start(dialect, line);
        return new BenchStation(dialect, station.marker(), station, null, null, null);
    }

    /** The same marker, front end and link, with no camera feed on the marker. */
    static BenchStation withoutCamera(String dialect, LineSettings line) {
        VirtualMarker marker = new VirtualMarker(line);
        PtyPair cable = null;
        try {
            if (dialect.equals("mqtt")) {
                MqttSettings station = MqttBroker.newStation();
                MqttMarkerFrontEnd frontEnd = new MqttMarkerFrontEnd(marker, MqttBroker.markerSide(station));
                frontEnd.start();
                return new BenchStation(dialect, marker, null, frontEnd, station, null);
            }
            cable = PtyPair.open();
            AutoCloseable frontEnd = switch (dialect) {
                case "ascii" -> {
                    AsciiMarkerFrontEnd ascii = new AsciiMarkerFrontEnd(marker, cable);
                    ascii.start();
                    yield ascii;
                }
                case "framed" -> {
                    FramedMarkerFrontEnd framed = new FramedMarkerFrontEnd(marker, cable);
                    framed.start();
                    yield framed;
                }
                default -> throw new IllegalArgumentException("No simulated front end for dialect " + dialect);
            };
            return new BenchStation(dialect, marker, null, frontEnd, null, cable);
        } catch (IOException | RuntimeException e) {
            marker.close();
            if (cable != null) {
                cable.close();
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("The simulated " + dialect + " marker could not start", io);
            }
            throw (RuntimeException) e;
        }
    }

    String dialect() {
        return dialect;
    }

    VirtualMarker marker() {
        return marker;
    }

    /** The station's camera; only the fixtures' station has one. */
    Optional<SimulatedCamera> camera() {
        return simulated == null ? Optional.empty() : Optional.of(simulated.camera());
    }

    /** A new driver-side link to the marker, configured as a station would be (115200 8N1 on serial). */
    MarkerLink link(MarkerTimeouts timeouts) {
        if (simulated != null) {
            return simulated.link(timeouts);
        }
        if (mqtt != null) {
            return new MarkerLink(Dialects.byName("mqtt"), MqttDialect.transport(mqtt), timeouts);
        }
        return new MarkerLink(Dialects.byName(dialect),
                new SerialTransport(SerialSettings.of(cable.hostPath().toString(), DialectRun.SERIAL_BAUD)), timeouts);
    }

    @Override
    public void close() {
        if (!OPEN.remove(this)) {
            return;
        }
        if (simulated != null) {
            simulated.close();
            return;
        }
        try {
            frontEnd.close();
        } catch (Exception e) {
            throw new IllegalStateException("Stopping the simulated " + dialect + " marker failed", e);
        } finally {
            marker.close();
            if (mqtt != null) {
                MqttBroker.forget(mqtt);
            }
            if (cable != null) {
                cable.close();
            }
        }
    }
}
