package io.tracemark.trace.marking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

import io.tracemark.trace.problem.ProblemException;
import io.tracemark.trace.problem.ProblemType;

/**
 * The in-JVM broker on a machine where another MQTT broker (or anything) already holds a port: left
 * to itself it takes a free port and carries messages there; told to use a taken port it refuses
 * with one line that names the setting to change.
 */
class EmbeddedBrokerTest {

    @Test
    void withoutAConfiguredPortItListensOnAFreeOneBesideAPortAlreadyTaken() throws Exception {
        try (ServerSocket taken = occupy()) {
            EmbeddedBroker broker = new EmbeddedBroker(true, Optional.empty());
            try {
                URI url = URI.create(broker.url());
                assertEquals("127.0.0.1", url.getHost());
                assertNotEquals(taken.getLocalPort(), url.getPort());
                assertEquals(url.toString(), broker.url(), "the same broker for every later run");
                assertEquals("hello marker", roundTrip(url.toString()));
            } finally {
                broker.stop(null);
            }
        }
    }

    @Test
    void aConfiguredPortThatIsTakenIsRefusedNamingTheSetting() throws Exception {
        try (ServerSocket taken = occupy()) {
            EmbeddedBroker broker = new EmbeddedBroker(true, Optional.of(taken.getLocalPort()));
            ProblemException refused = assertThrows(ProblemException.class, broker::url);
            assertEquals(ProblemType.UNAVAILABLE, refused.type());
            assertTrue(refused.getMessage().contains("127.0.0.1:" + taken.getLocalPort()), refused.getMessage());
            assertTrue(refused.getMessage().contains("TRACEMARK_MQTT_EMBEDDED_BROKER_PORT"), refused.getMessage());
            assertFalse(refused.getMessage().contains("\n"), "one line: " + refused.getMessage());
            assertFalse(broker.running(), "nothing half-started stays behind");
        }
    }

    private static ServerSocket occupy() throws Exception {
        return new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
    }

    private static String roundTrip(String url) throws Exception {
        BlockingQueue<String> received = new ArrayBlockingQueue<>(1);
        MqttClient client = new MqttClient(url, "embedded-broker-test", new MemoryPersistence());
        try {
            client.connect();
            client.subscribe("tracemark/test", 1,
                    (topic, message) -> received.add(new String(message.getPayload(), StandardCharsets.UTF_8)));
            client.publish("tracemark/test", "hello marker".getBytes(StandardCharsets.UTF_8), 1, false);
            String payload = received.poll(5, TimeUnit.SECONDS);
            client.disconnect();
            return payload;
        } finally {
            client.close();
        }
    }
}
