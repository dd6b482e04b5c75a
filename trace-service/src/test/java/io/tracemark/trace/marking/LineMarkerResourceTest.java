package io.tracemark.trace.marking;

import static io.tracemark.trace.Api.anonymous;
import static io.tracemark.trace.Api.as;
import static io.tracemark.trace.Api.asAdmin;
import static io.tracemark.trace.Api.asStation;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.marker.transport.MqttSettings;
import io.tracemark.trace.config.TracemarkConfig;
import io.tracemark.trace.Api;

@QuarkusTest
class LineMarkerResourceTest {

    /** A marker in the dialect that suits the transport: mqtt over MQTT, ascii over a serial port. */
    private static Map<String, Object> marker(Map<String, Object> transport) {
        Map<String, Object> body = new HashMap<>();
        body.put("dialect", transport != null && "mqtt".equals(transport.get("type")) ? "mqtt" : "ascii");
        body.put("job", "BOTTLE");
        body.put("transport", transport);
        return body;
    }

    private static Map<String, Object> serial(Object... settings) {
        Map<String, Object> transport = new HashMap<>(Map.of("type", "serial", "port", "/dev/ttyUSB0"));
        for (int i = 0; i < settings.length; i += 2) {
            transport.put((String) settings[i], settings[i + 1]);
        }
        return transport;
    }

    private static Map<String, Object> mqtt(Object... settings) {
        Map<String, Object> transport = new HashMap<>(Map.of("type", "mqtt", "brokerUrl", "tcp://127.0.0.1:1883"));
        for (int i = 0; i < settings.length; i += 2) {
            transport.put((String) settings[i], settings[i + 1]);
        }
        return transport;
    }

    private static String markerOf(long line) {
        return asAdmin().get("/api/lines/" + line + "/marker").then().statusCode(200).extract().asString();
    }

    @Inject
    TracemarkConfig config;

    @Inject
    MarkerLinks links;

    @Inject
    EntityManager em;

    @Test
    void trustsAPrivateCaFromTheTrustStoreFolderAndNeverShowsItsPassword() throws Exception {
        long line = Api.line(Api.factory());
        Path folder = Files.createDirectories(config.marking().trustStoreDir());
        String name = "plant-ca-" + line + ".p12";
        KeyStore empty = KeyStore.getInstance("PKCS12");
        empty.load(null, null);
        try (var out = Files.newOutputStream(folder.resolve(name))) {
            empty.store(out, "changeit".toCharArray());
        }

        asAdmin().body(marker(mqtt("trustStore", name))).put("/api/lines/" + line + "/marker")
                .then().statusCode(400).body("violations[0].field", equalTo("transport.trustStore"))
                .body("detail", containsString("ssl:// broker only"));
        asAdmin().body(marker(mqtt("brokerUrl", "ssl://broker.plant:8883", "trustStore", "nope.p12")))
                .put("/api/lines/" + line + "/marker").then().statusCode(400)
                .body("violations[0].field", equalTo("transport.trustStore"))
                .body("detail", equalTo("transport.trustStore: no such trust store in the configured folder"));
        asAdmin().get("/api/lines/" + line + "/marker").then().statusCode(404);

        asAdmin().body(marker(mqtt("brokerUrl", "ssl://broker.plant:8883", "trustStore", name,
                "trustStorePassword", "changeit"))).put("/api/lines/" + line + "/marker").then().statusCode(200)
                .body("transport.trustStore", equalTo(name))
                .body("transport.trustStorePasswordSet", equalTo(true));
        assertEquals(false, markerOf(line).contains("changeit"), "the trust store password is never shown");
        MqttSettings settings = QuarkusTransaction.requiringNew()
                .call(() -> links.mqttSettings(LineMarkerResource.find(line), "ssl://broker.plant:8883"));
        assertEquals(folder.resolve(name).toAbsolutePath().normalize(), settings.trustStore());
        assertEquals("changeit", settings.trustStorePassword(), "decrypted for the broker");
    }

    /**
     * A trust store outside the folder is refused in the same words whether the file exists or not,
     * so that the API cannot be used to probe the service's host; nothing is stored.
     */
    @Test
    void refusesTrustStoresOutsideTheFolderWithoutSayingWhetherTheyExist() {
        long line = Api.line(Api.factory());
        asAdmin().body(marker(serial())).put("/api/lines/" + line + "/marker").then().statusCode(200);
        String before = markerOf(line);

        List<String> refusals = new ArrayList<>();
        for (String outside : List.of("/etc/passwd", "/nonexistent", "../../../../etc/passwd", "../nonexistent",
                "sub/../../etc/passwd", "~/.ssh/id_rsa")) {
            refusals.add(asAdmin().body(marker(mqtt("brokerUrl", "ssl://broker.plant:8883", "trustStore", outside)))
                    .put("/api/lines/" + line + "/marker").then().statusCode(400)
                    .body("violations[0].field", equalTo("transport.trustStore"))
                    .body("detail", not(containsString(outside)))
                    .extract().jsonPath().getString("detail"));
        }
        assertEquals(1, refusals.stream().distinct().count(), "one answer for every outside path: " + refusals);
        assertEquals(before, markerOf(line), "nothing stored");
    }

    /** Reading the table behind the service's back shows no password; the broker still gets it. */
    @Test
    void storesMarkerPasswordsEncrypted() {
        long line = Api.line(Api.factory());
        asAdmin().body(marker(mqtt("username", "line-pc", "password", "broker-secret-at-rest")))
                .put("/api/lines/" + line + "/marker").then().statusCode(200).body("transport.passwordSet", equalTo(true));

        String stored = storedPassword(line);
        assertTrue(stored.startsWith("v1:"), stored);
        assertFalse(stored.contains("broker-secret"), stored);
        asAdmin().body(marker(mqtt("username", "line-pc", "password", "broker-secret-at-rest")))
                .put("/api/lines/" + line + "/marker").then().statusCode(200);
        assertNotEquals(stored, storedPassword(line), "a fresh nonce for every value");
        MqttSettings settings = QuarkusTransaction.requiringNew()
                .call(() -> links.mqttSettings(LineMarkerResource.find(line), "tcp://127.0.0.1:1883"));
        assertEquals("broker-secret-at-rest", settings.password());
    }

    /** A password an older version stored in the clear is encrypted when the service starts. */
    @Test
    void encryptsPasswordsThatAnOlderVersionStoredInTheClear() {
        long line = Api.line(Api.factory());
        asAdmin().body(marker(mqtt("username", "line-pc", "password", "x"))).put("/api/lines/" + line + "/marker")
                .then().statusCode(200);
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "update line_marker set mqtt_password = 'plain:old-clear-secret' where line_id = ?1")
                .setParameter(1, line).executeUpdate());

        assertTrue(QuarkusTransaction.requiringNew().call(() -> secrets.sealStored()) >= 1);

        String stored = storedPassword(line);
        assertTrue(stored.startsWith("v1:") && !stored.contains("old-clear-secret"), stored);
        MqttSettings settings = QuarkusTransaction.requiringNew()
                .call(() -> links.mqttSettings(LineMarkerResource.find(line), "tcp://127.0.0.1:1883"));
        assertEquals("old-clear-secret", settings.password());
    }

    @Inject
    MarkerSecrets secrets;

    private String storedPassword(long line) {
        return QuarkusTransaction.requiringNew().call(() -> (String) em
                .createNativeQuery("select mqtt_password from line_marker where line_id = ?1")
                .setParameter(1, line).getSingleResult());
    }

    @Test
    void configuresASerialMarkerWith9600Baud8N1AsTheDefault() {
        long line = Api.line(Api.factory());

        asAdmin().body(marker(serial())).put("/api/lines/" + line + "/marker").then().statusCode(200)
                .body("lineId", equalTo((int) line)).body("dialect", equalTo("ascii")).body("job", equalTo("BOTTLE"))
                .body("queueDepth", equalTo(8)).body("minimumGrade", equalTo("C"))
                .body("transport.type", equalTo("serial")).body("transport.port", equalTo("/dev/ttyUSB0"))
                .body("transport.baud", equalTo(9600)).body("transport.dataBits", equalTo(8))
                .body("transport.parity", equalTo("none")).body("transport.stopBits", equalTo(1))
                .body("transport.flowControl", equalTo("none")).body("updatedBy", equalTo("admin"));

        Map<String, Object> framed = marker(serial("baud", 115200, "dataBits", 7, "parity", "even",
                "stopBits", 2, "flowControl", "rtscts"));
        framed.put("dialect", "framed");
        framed.put("queueDepth", 32);
        framed.put("minimumGrade", "B");
        asAdmin().body(framed).put("/api/lines/" + line + "/marker").then().statusCode(200);
        asAdmin().get("/api/lines/" + line + "/marker").then().statusCode(200)
                .body("dialect", equalTo("framed")).body("queueDepth", equalTo(32)).body("minimumGrade", equalTo("B"))
                .body("transport.baud", equalTo(115200)).body("transport.dataBits", equalTo(7))
                .body("transport.parity", equalTo("even")).body("transport.stopBits", equalTo(2))
                .body("transport.flowControl", equalTo("rtscts"));
    }

    @Test
    void configuresAPanasonicMarkerOnItsEthernetPortWithDialectOptionsAndRefusesBadOnes() {
        long line = Api.line(Api.factory());
        String stored = markerOf(line(line, serial()));
        Map<String, Object> tcp = new HashMap<>(Map.of("type", "tcp", "host", "192.168.0.10", "port", 9094));
        Map<String, Object> body = marker(tcp);
        body.put("dialect", "panasonic-lp:object=1");
        body.put("job", "0012");

        asAdmin().body(body).put("/api/lines/" + line + "/marker").then().statusCode(200)
                .body("dialect", equalTo("panasonic-lp:object=1")).body("transport.type", equalTo("tcp"))
                .body("transport.host", equalTo("192.168.0.10")).body("transport.port", equalTo(9094))
                .body("transport.connectTimeoutMs", equalTo(3000));
        String tcpStored = markerOf(line);
        assertTrue(!tcpStored.equals(stored) && tcpStored.contains("\"tcp\""), tcpStored);

        Map<String, Object> badOption = new HashMap<>(body);
        badOption.put("dialect", "panasonic-lp:parity=even");
        Map<String, Object> checksumOverTcp = new HashMap<>(body);
        checksumOverTcp.put("dialect", "panasonic-lp:checksum");
        Map<String, Object> mqttOverTcp = new HashMap<>(body);
        mqttOverTcp.put("dialect", "mqtt");
        Map<String, Object> noPort = marker(new HashMap<>(Map.of("type", "tcp", "host", "192.168.0.10")));
        Map<String, Object> badHost = marker(new HashMap<>(Map.of("type", "tcp", "host", "a b", "port", 9094)));
        asAdmin().body(badOption).put("/api/lines/" + line + "/marker").then().statusCode(400)
                .body("violations[0].field", equalTo("dialect"))
                .body("violations[0].message", containsString("parity=even"));
        asAdmin().body(checksumOverTcp).put("/api/lines/" + line + "/marker").then().statusCode(400)
                .body("violations[0].field", equalTo("transport"))
                .body("violations[0].message", containsString("no checksum"));
        asAdmin().body(mqttOverTcp).put("/api/lines/" + line + "/marker").then().statusCode(400)
                .body("violations[0].field", equalTo("transport"));
        asAdmin().body(noPort).put("/api/lines/" + line + "/marker").then().statusCode(400)
                .body("violations.field", hasItems("transport.port"));
        asAdmin().body(badHost).put("/api/lines/" + line + "/marker").then().statusCode(400)
                .body("violations.field", hasItems("transport.host"));
        assertEquals(tcpStored, markerOf(line));
    }

    private static long line(long line, Map<String, Object> transport) {
        asAdmin().body(marker(transport)).put("/api/lines/" + line + "/marker").then().statusCode(200);
        return line;
    }

    @Test
    void keepsTheBrokerPasswordButNeverShowsIt() {
        long site = Api.factory();
        long line = Api.line(site);
        String gln = asAdmin().get("/api/sites/" + site).then().extract().jsonPath().getString("gln");
        String lineCode = asAdmin().get("/api/lines/" + line).then().extract().jsonPath().getString("code");
        Map<String, Object> body = marker(mqtt("username", "line-pc", "password", "broker-secret"));

        String answer = asAdmin().body(body).put("/api/lines/" + line + "/marker").then().statusCode(200)
                .body("transport.type", equalTo("mqtt")).body("transport.brokerUrl", equalTo("tcp://127.0.0.1:1883"))
                .body("transport.username", equalTo("line-pc")).body("transport.passwordSet", equalTo(true))
                .body("transport.clientId", equalTo("tracemark-line-" + line))
                .body("transport.topicPrefix", equalTo("tracemark")).body("transport.site", equalTo(gln))
                .body("transport.station", equalTo(lineCode))
                .extract().asString();
        assertEquals(-1, answer.indexOf("broker-secret"));
        assertEquals(-1, markerOf(line).indexOf("broker-secret"));

        body.put("transport", mqtt("username", "line-pc", "topicPrefix", "plant/sevilla", "site", "SEV",
                "station", "L7", "clientId", "station-l7"));
        asAdmin().body(body).put("/api/lines/" + line + "/marker").then().statusCode(200)
                .body("transport.passwordSet", equalTo(true)).body("transport.topicPrefix", equalTo("plant/sevilla"))
                .body("transport.site", equalTo("SEV")).body("transport.station", equalTo("L7"))
                .body("transport.clientId", equalTo("station-l7"));

        body.put("transport", mqtt("username", "line-pc", "password", ""));
        asAdmin().body(body).put("/api/lines/" + line + "/marker").then().statusCode(200)
                .body("transport.passwordSet", equalTo(false));
    }

    @Test
    void rejectsEachBadFieldByNameAndKeepsWhatWasStored() {
        long line = Api.line(Api.factory());
        asAdmin().body(marker(serial())).put("/api/lines/" + line + "/marker").then().statusCode(200);
        String stored = markerOf(line);

        Map<String, Object> unknownDialect = marker(serial());
        unknownDialect.put("dialect", "laserjet");
        Map<String, Object> deepQueue = marker(serial());
        deepQueue.put("queueDepth", 1001);
        Map<String, Object> badGrade = marker(serial());
        badGrade.put("minimumGrade", "G");
        Map<String, Object> noTransport = marker(null);
        noTransport.remove("transport");
        Map<String, Object> mqttWithoutBroker = marker(Map.of("type", "mqtt"));
        Map<String, Object> mqttOverSerial = marker(serial());
        mqttOverSerial.put("dialect", "mqtt");
        List<Map.Entry<String, Object>> cases = new ArrayList<>();
        cases.add(Map.entry("dialect", unknownDialect));
        cases.add(Map.entry("queueDepth", deepQueue));
        cases.add(Map.entry("minimumGrade", badGrade));
        cases.add(Map.entry("transport", noTransport));
        cases.add(Map.entry("transport", mqttOverSerial));
        cases.add(Map.entry("transport.port", marker(serial("port", " "))));
        cases.add(Map.entry("transport.baud", marker(serial("baud", 10))));
        cases.add(Map.entry("transport.dataBits", marker(serial("dataBits", 9))));
        cases.add(Map.entry("transport.parity", marker(serial("parity", "strange"))));
        cases.add(Map.entry("transport.stopBits", marker(serial("stopBits", 3))));
        cases.add(Map.entry("transport.stopBits", marker(serial("stopBits", 1.5, "dataBits", 8))));
        cases.add(Map.entry("transport.password", marker(mqtt("password", "no-user"))));
        cases.add(Map.entry("transport.flowControl", marker(serial("flowControl", "cts"))));
        cases.add(Map.entry("transport.brokerUrl", marker(mqtt("brokerUrl", "http://broker.example.com"))));
        cases.add(Map.entry("transport.brokerUrl",
                marker(mqtt("brokerUrl", "tcp://user:pw@broker.example.com:1883"))));
        cases.add(Map.entry("transport.topicPrefix", marker(mqtt("topicPrefix", "plant/#"))));
        cases.add(Map.entry("transport.clientId", marker(mqtt("clientId", "line pc"))));
        cases.add(Map.entry("transport.site", marker(mqtt("site", "a/b"))));
        cases.add(Map.entry("transport.station", marker(mqtt("station", "$SYS"))));
        for (Map.Entry<String, Object> bad : cases) {
            asAdmin().body(bad.getValue()).put("/api/lines/" + line + "/marker").then().statusCode(400)
                    .body("type", equalTo("urn:tracemark:problem:validation-failed"))
                    .body("violations.field", hasItems(bad.getKey()));
        }
        asAdmin().body(mqttWithoutBroker).put("/api/lines/" + line + "/marker").then().statusCode(400)
                .body("violations[0].field", equalTo("transport.brokerUrl"))
                .body("violations[0].message", containsString("embedded-broker"));
        Map<String, Object> manyWrongs = marker(serial("port", "", "baud", 1));
        manyWrongs.put("queueDepth", 0);
        asAdmin().body(manyWrongs).put("/api/lines/" + line + "/marker").then().statusCode(400)
                .body("violations.field", equalTo(List.of("queueDepth", "transport.baud", "transport.port")));
        asAdmin().body("{\"dialect\": \"ascii\", ").put("/api/lines/" + line + "/marker").then().statusCode(400)
                .body("type", equalTo("urn:tracemark:problem:malformed-request"));

        assertEquals(stored, markerOf(line));
    }

    @Test
    void aLineWithoutMarkerHasNoneAfterARefusedConfiguration() {
        long line = Api.line(Api.factory());
        asAdmin().get("/api/lines/" + line + "/marker").then().statusCode(404)
                .body("type", equalTo("urn:tracemark:problem:not-found"));
        asAdmin().body(marker(serial("baud", 0))).put("/api/lines/" + line + "/marker").then().statusCode(400);
        asAdmin().get("/api/lines/" + line + "/marker").then().statusCode(404);
        asAdmin().body(marker(serial())).put("/api/lines/987654321/marker").then().statusCode(404);
    }

    @Test
    void operatorsConfigureStationsAndRegulatorsReadTheirOwnLinesOnly() {
        long line = Api.line(Api.factory());
        long otherLine = Api.line(Api.factory());
        String operator = Api.user("mia.operator", "operator");
        String regulator = Api.user("rita.regulator", "regulator");
        String partner = Api.user("paul.partner", "partner");
        String station = Api.stationKey(line);
        String otherStation = Api.stationKey(otherLine);

        as("mia.operator", operator).body(marker(serial())).put("/api/lines/" + line + "/marker")
                .then().statusCode(200).body("updatedBy", equalTo("mia.operator"));
        String stored = markerOf(line);

        asStation(station).get("/api/lines/" + line + "/marker").then().statusCode(200)
                .body("transport.port", equalTo("/dev/ttyUSB0"));
        as("rita.regulator", regulator).get("/api/lines/" + line + "/marker").then().statusCode(200);
        asStation(otherStation).get("/api/lines/" + line + "/marker").then().statusCode(403);
        as("paul.partner", partner).get("/api/lines/" + line + "/marker").then().statusCode(403);
        anonymous().get("/api/lines/" + line + "/marker").then().statusCode(401);

        Map<String, Object> takeover = marker(serial("port", "/dev/ttyS9"));
        asStation(station).body(takeover).put("/api/lines/" + line + "/marker").then().statusCode(403);
        as("rita.regulator", regulator).body(takeover).put("/api/lines/" + line + "/marker").then().statusCode(403);
        anonymous().body(takeover).put("/api/lines/" + line + "/marker").then().statusCode(401);
        assertEquals(stored, markerOf(line));
        asAdmin().get("/api/lines/" + line + "/marker").then().body("transport.port", not(equalTo("/dev/ttyS9")));
    }
}
