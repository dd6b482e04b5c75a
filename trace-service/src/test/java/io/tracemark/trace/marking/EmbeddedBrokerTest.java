package io.tracemark.trace.marking;

import static io.tracemark.trace.Api.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The zero-install MQTT broker: off until a station needs it, then a working broker on loopback
 * that carries a marking run end to end.
 */
@QuarkusTest
@TestProfile(EmbeddedBrokerTest.WithEmbeddedBroker.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedBrokerTest {

    static final int PORT = freePort();

    public static class WithEmbeddedBroker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tracemark.mqtt.embedded-broker", "true",
                    "tracemark.mqtt.embedded-broker-port", Integer.toString(PORT));
        }
    }

    @Inject
    EmbeddedBroker broker;
    @Inject
    StationPeripherals peripherals;

    @Test
    @Order(1)
    void startsOnFirstUseAndCarriesQosOneMessages() throws Exception {
        assertTrue(broker.enabled());
        assertFalse(broker.running(), "nothing needed it yet");

        String url = broker.url();

        assertEquals("tcp://127.0.0.1:" + PORT, url);
        assertEquals(url, broker.url(), "started once");
        BlockingQueue<String> received = new ArrayBlockingQueue<>(1);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        MqttClient marker = new MqttClient(url, "embedded-test-marker", new MemoryPersistence());
        MqttClient station = new MqttClient(url, "embedded-test-station", new MemoryPersistence());
        try {
            marker.connect(options);
            station.connect(options);
            marker.subscribe("tracemark/site/L1/cmd", 1,
                    (topic, message) -> received.add(new String(message.getPayload(), StandardCharsets.UTF_8)));
            station.publish("tracemark/site/L1/cmd", "{\"op\":\"status\"}".getBytes(StandardCharsets.UTF_8), 1, false);
            assertEquals("{\"op\":\"status\"}", received.poll(5, TimeUnit.SECONDS));
        } finally {
            marker.disconnect();
            station.disconnect();
            marker.close();
            station.close();
        }
    }

    @Test
    @Order(2)
    void carriesTheMarkingRunOfAStationThatNamesNoBroker() {
        // The simulated marker has to be online before the run needs the broker.
        String url = broker.url();
        try (SimulatedLine line = SimulatedLine.behindEmbeddedBroker(peripherals, url)) {
            asAdmin().get("/api/lines/" + line.lineId + "/marker").then().statusCode(200)
                    .body("transport.brokerUrl", nullValue());
            long id = asAdmin().body(Map.of("batchId", line.batchId, "count", 10)).post("/api/marking-runs")
                    .then().statusCode(201).extract().jsonPath().getLong("id");

            SimulatedLine.await(() -> !"RUNNING".equals(asAdmin().get("/api/marking-runs/" + id).then().extract()
                    .jsonPath().getString("state")), Duration.ofSeconds(30), "the run to end");

            asAdmin().get("/api/marking-runs/" + id).then().body("state", equalTo("FINISHED"))
                    .body("released", equalTo(10));
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
