package io.tracemark.marker.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import io.tracemark.fixtures.MqttBroker;
import io.tracemark.fixtures.MqttBroker.Probe;
import io.tracemark.fixtures.MqttBroker.Received;

/** The driver's MQTT link against the real broker. */
@Execution(ExecutionMode.CONCURRENT) // every test has a station of its own; most of the time is waiting
class MqttTransportTest {

    private static final Duration WAIT = Duration.ofSeconds(3);

    private final MqttSettings station = MqttBroker.newStation();
    private final MqttTransport transport = new MqttTransport(station, List.of("reply", "event", "state"));
    private final Recorder recorder = new Recorder();

    @AfterEach
    void leaveNothingBehind() {
        transport.close();
        MqttBroker.forget(station);
    }

    @Test
    void publishesToTheStationAndDeliversWhatItSubscribedToWithRelativeTopics() throws Exception {
        try (Probe marker = MqttBroker.probe(station).subscribe("cmd")) {
            transport.open(recorder);
            assertTrue(transport.isOpen());

            transport.send(Packet.message("cmd", "{\"cmd\":\"status\"}"));
            Received command = marker.next(WAIT);
            assertEquals(new Received("cmd", "{\"cmd\":\"status\"}", false), command);

            marker.publish("elsewhere", "not for the driver", false);
            marker.publish("reply", "{\"ok\":true}", false);
            Packet reply = recorder.packets.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(reply, "the reply reached the driver");
            assertEquals("reply", reply.topic());
            assertFalse(reply.retained());
            assertArrayEquals("{\"ok\":true}".getBytes(StandardCharsets.UTF_8), reply.payload());
            assertNull(recorder.packets.poll(200, TimeUnit.MILLISECONDS), "nothing from unsubscribed topics");
        }
    }

    @Test
    void handsOverARetainedMessageFlaggedAsRetained() throws Exception {
        try (Probe marker = MqttBroker.probe(station)) {
            marker.publish("state", "{\"online\":true}", true);
        }
        transport.open(recorder);

        Packet state = recorder.packets.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(state);
        assertEquals("state", state.topic());
        assertTrue(state.retained(), "the broker's stored copy, not news");
    }

    @Test
    void announcesTheDriverOnlineAndOfflineRetained() throws Exception {
        transport.open(recorder);
        try (Probe late = MqttBroker.probe(station).subscribe("driver")) {
            assertEquals(new Received("driver", "{\"online\":true}", true), late.next(WAIT));
        }
        transport.close();
        try (Probe later = MqttBroker.probe(station).subscribe("driver")) {
            assertEquals(new Received("driver", "{\"online\":false}", true), later.next(WAIT));
        }
    }

    @Test
    void failsFastNamingTheBrokerWhenItCannotBeReached() {
        MqttTransport nowhere = new MqttTransport(
                MqttSettings.of("tcp://127.0.0.1:1", "tmtest", "site", "station", station.clientId()), List.of("reply"));
        long start = System.nanoTime();

        IOException failure = assertThrows(IOException.class, () -> nowhere.open(recorder));

        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis < 2_000, "failed after " + millis + " ms, not at once");
        assertTrue(failure.getMessage().contains("tcp://127.0.0.1:1"), failure.getMessage());
        assertFalse(nowhere.isOpen());
        assertThrows(IOException.class, () -> nowhere.send(Packet.message("cmd", "{}")));
    }

    @Test
    void reportsTheLossOfTheBrokerAndCanBeOpenedAgain() throws Exception {
        transport.open(recorder);

        // The broker drops a session when another client takes over its id: a real loss, seen from here.
        MqttAsyncClient intruder = new MqttAsyncClient(station.brokerUrl(), station.clientId(), new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(false);
        intruder.connect(options).waitForCompletion(WAIT.toMillis());
        String reason = recorder.lost.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        intruder.disconnect().waitForCompletion(WAIT.toMillis());
        intruder.close();

        assertNotNull(reason, "the loss was reported");
        assertTrue(reason.contains(station.brokerUrl()), reason);
        assertFalse(transport.isOpen());
        assertThrows(IOException.class, () -> transport.send(Packet.message("cmd", "{}")));

        transport.open(recorder);
        try (Probe marker = MqttBroker.probe(station).subscribe("cmd")) {
            transport.send(Packet.message("cmd", "{\"again\":true}"));
            assertEquals("{\"again\":true}", marker.next(WAIT).text());
        }
    }

    @Test
    void keepsWhatTheMarkerSaidWhileTheDriverWasAway() throws Exception {
        transport.open(recorder);
        transport.close();
        try (Probe marker = MqttBroker.probe(station)) {
            marker.publish("event", "{\"event\":\"mark\",\"id\":\"A1\"}", false);
        }

        transport.open(recorder);

        Packet backlog = recorder.packets.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(backlog, "the persistent session kept the event");
        assertEquals("event", backlog.topic());
        assertEquals("{\"event\":\"mark\",\"id\":\"A1\"}", backlog.text());
    }

    @Test
    void closeEndsTheConversationWithoutReportingALoss() throws Exception {
        transport.open(recorder);
        transport.close();

        assertFalse(transport.isOpen());
        assertNull(recorder.lost.poll(300, TimeUnit.MILLISECONDS), "a close is no loss");
        assertThrows(IOException.class, () -> transport.send(Packet.message("cmd", "{}")));
    }

    private static final class Recorder implements Transport.Listener {
        final BlockingQueue<Packet> packets = new LinkedBlockingQueue<>();
        final BlockingQueue<String> lost = new LinkedBlockingQueue<>();

        @Override
        public void received(Packet packet) {
            packets.add(packet);
        }

        @Override
        public void lost(String reason) {
            lost.add(reason);
        }
    }
}
