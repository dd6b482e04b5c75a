package io.tracemark.marker.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MqttSettingsTest {

    private final MqttSettings settings = MqttSettings.of("tcp://broker:1883", "tracemark", "plant1", "line3",
            "line3-driver");

    @Test
    void defaultsToQos1PersistentSessionAndNamedTimeouts() {
        assertEquals(1, settings.qos());
        assertFalse(settings.cleanSession());
        assertEquals(Duration.ofSeconds(5), settings.connectTimeout());
        assertEquals(Duration.ofSeconds(5), settings.keepAlive());
        assertEquals(Duration.ofSeconds(5), settings.ackTimeout());
    }

    @Test
    void placesEveryTopicUnderPrefixSiteAndStation() {
        assertEquals("tracemark/plant1/line3", settings.baseTopic());
        assertEquals("tracemark/plant1/line3/cmd", settings.topic("cmd"));
        assertEquals("reply", settings.relativeTopic("tracemark/plant1/line3/reply"));
        assertEquals(null, settings.relativeTopic("tracemark/plant1/line4/reply"));
        assertEquals("acme/eu/plant1/line3", MqttSettings.of("tcp://b", "acme/eu", "plant1", "line3", "x").baseTopic());
    }

    @Test
    void refusesWhatCannotWorkAndSaysWhich() {
        assertMessage("tcp:// or ssl://", () -> MqttSettings.of("http://broker", "p", "s", "t", "c"));
        assertMessage("names no host", () -> MqttSettings.of("tcp://:1883", "p", "s", "t", "c"));
        assertMessage("one topic level", () -> MqttSettings.of("tcp://b", "p", "plant/1", "t", "c"));
        assertMessage("without + or #", () -> MqttSettings.of("tcp://b", "p", "s", "line#", "c"));
        assertMessage("must not start with $", () -> MqttSettings.of("tcp://b", "$SYS", "s", "t", "c"));
        assertMessage("client id", () -> MqttSettings.of("tcp://b", "p", "s", "t", "a b"));
        assertMessage("QoS is 0, 1 or 2", () -> settings.withQos(3));
        assertMessage("needs a username", () -> settings.withCredentials(null, "secret"));
        assertMessage("only applies to an ssl://", () -> settings.withTrustStore(Path.of("trust.p12"), null));
        assertMessage("keep-alive", () -> settings.withKeepAlive(Duration.ZERO));
        assertMessage("ack timeout", () -> settings.withAckTimeout(Duration.ofMillis(-1)));
    }

    @Test
    void roundsSecondsUpForTheClient() {
        assertEquals(2, settings.withKeepAlive(Duration.ofMillis(1_500)).keepAliveSeconds());
        assertEquals(5, settings.connectTimeoutSeconds());
    }

    @Test
    void neverShowsPasswords() {
        String shown = settings.withCredentials("line3", "hunter2").toString();

        assertFalse(shown.contains("hunter2"), shown);
        assertTrue(shown.contains("line3"), shown);
    }

    @Test
    void buildsATlsSocketFactoryFromTheTrustStore(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("trust.p12");
        KeyStore empty = KeyStore.getInstance("PKCS12");
        empty.load(null, null);
        try (OutputStream out = Files.newOutputStream(store)) {
            empty.store(out, "changeit".toCharArray());
        }
        MqttSettings tls = MqttSettings.of("ssl://broker:8883", "p", "s", "t", "c");

        assertTrue(tls.withTrustStore(store, "changeit").socketFactory() instanceof javax.net.ssl.SSLSocketFactory);
        assertTrue(tls.socketFactory() instanceof javax.net.ssl.SSLSocketFactory, "no trust store: the JVM's default trust");
        assertTrue(!(MqttSettings.of("tcp://broker:1883", "p", "s", "t", "c").socketFactory()
                instanceof javax.net.ssl.SSLSocketFactory), "tcp:// is plain TCP");
        IOException wrong = assertThrows(IOException.class,
                () -> tls.withTrustStore(store, "wrong").socketFactory());
        assertTrue(wrong.getMessage().contains(store.toString()), wrong.getMessage());
    }

    @Test
    void switchesNaglesAlgorithmOffSoThatSmallCommandsAreNotHeldBack() throws Exception {
        try (java.net.Socket socket = MqttSettings.of("tcp://broker:1883", "p", "s", "t", "c").socketFactory()
                .createSocket()) {
            assertTrue(socket.getTcpNoDelay());
        }
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable build) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, build);
        assertTrue(refused.getMessage().contains(expected), refused.getMessage());
    }
}
