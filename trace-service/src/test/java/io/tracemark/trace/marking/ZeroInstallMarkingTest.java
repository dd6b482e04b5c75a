package io.tracemark.trace.marking;

import static io.tracemark.trace.Api.asAdmin;
import static io.tracemark.trace.Api.asStation;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import java.nio.file.Path;
import java.util.List;

import jakarta.inject.Inject;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tracemark.trace.Api;
import io.tracemark.trace.storage.EmbeddedDatabase;
import io.tracemark.trace.storage.Storage;
import io.tracemark.trace.storage.StorageKind;

/**
 * Marking on the zero-install default: the embedded H2 database and the in-JVM MQTT broker, off
 * until a station needs it, then carrying marking runs end to end; and the station agent's API on
 * the same database.
 */
@QuarkusTest
@TestProfile(EmbeddedDatabase.ZeroInstall.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ZeroInstallMarkingTest {

    static final int PORT = EmbeddedDatabase.ZeroInstall.BROKER_PORT;
    static final Path DATA = EmbeddedDatabase.ZeroInstall.DATA;

    @Inject
    Storage storage;

    @Inject
    EmbeddedBroker broker;
    @Inject
    StationPeripherals peripherals;

    @Test
    @Order(1)
    void startsOnFirstUseAndCarriesQosOneMessages() throws Exception {
        assertEquals(StorageKind.EMBEDDED, storage.kind(), "this class runs on the embedded database");
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

    @Test
    @Order(3)
    void takesAStationAgentsClaimsAndStepsOnTheEmbeddedDatabase() {
        long batch = Api.batch();
        String key = Api.stationKey(Api.lineOfBatch(batch));
        long run = asAdmin().body(Map.of("batchId", batch, "count", 2, "driver", "agent")).post("/api/marking-runs")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        var claim = Map.of("requestId", "first", "count", 3);
        List<String> codes = asStation(key).body(claim).post("/api/marking-runs/" + run + "/claims").then()
                .statusCode(200).extract().jsonPath().getList("codes.id");
        assertEquals(3, codes.size());
        assertEquals(codes, asStation(key).body(claim).post("/api/marking-runs/" + run + "/claims").then()
                .statusCode(200).extract().jsonPath().getList("codes.id"), "the same claim, the same codes");
        asStation(key).body(Map.of("results", List.of(Map.of("id", codes.get(0), "state", "MARKED"),
                Map.of("id", codes.get(1), "state", "VOIDED", "reason", "mark failed"))))
                .post("/api/marking-runs/" + run + "/results").then().statusCode(200);
        asStation(key).body(Map.of("state", "FINISHED", "released", 1)).put("/api/marking-runs/" + run
                + "/station-status").then().statusCode(200).body("state", equalTo("FINISHED"))
                .body("sent", equalTo(3)).body("marked", equalTo(1)).body("voided", equalTo(1));
    }

}
