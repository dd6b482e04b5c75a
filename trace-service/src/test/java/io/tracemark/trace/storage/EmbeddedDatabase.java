package io.tracemark.trace.storage;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.tracemark.fixtures.FreePort;

/**
 * Test profiles on the zero-install default: the embedded H2 file database, in a data folder of
 * the profile's own under target/, with the settings the service uses when no URL is configured.
 */
public final class EmbeddedDatabase {

    private EmbeddedDatabase() {
    }

    /**
     * The zero-install default as a line PC runs it: the embedded database and the in-JVM MQTT
     * broker, on a port of its own. Test classes that share it share one start of the service.
     */
    public static class ZeroInstall implements QuarkusTestProfile {
        public static final Path DATA = dataFolder("zero-install");
        public static final int BROKER_PORT = FreePort.find();

        @Override
        public Map<String, String> getConfigOverrides() {
            return at(DATA, "tracemark.mqtt.embedded-broker", "true",
                    "tracemark.mqtt.embedded-broker-port", Integer.toString(BROKER_PORT));
        }
    }

    /**
     * A first start with nothing configured: no serial key, no secrets key, no session key, no
     * ledger signing key and no administrator's password, so the service makes each itself; its
     * log is kept in the data folder. Test classes that share it share one start of the service.
     */
    public static class FirstStart implements QuarkusTestProfile {
        public static final Path DATA = dataFolder("first-start");

        @Override
        public Map<String, String> getConfigOverrides() {
            return at(DATA, "tracemark.codes.secret", "", "tracemark.secrets.key", "", "tracemark.admin.password", "",
                    "tracemark.console.session-key", "", "tracemark.ledger.signing-key", "",
                    "quarkus.log.file.enabled", "true", "quarkus.log.file.path", DATA.resolve("service.log").toString());
        }
    }

    /** A fresh data folder for one test class, unique to this test run. */
    public static Path dataFolder(String name) {
        return Path.of("target", name + "-" + ProcessHandle.current().pid());
    }

    /** The overrides that put the service on the embedded database in {@code data}, plus {@code more}. */
    public static Map<String, String> at(Path data, String... more) {
        Map<String, String> overrides = new HashMap<>(Map.of(
                "tracemark.data-dir", data.toString(),
                "quarkus.datasource.jdbc.url", "jdbc:h2:file:" + data.toAbsolutePath()
                        + "/tracemark;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000",
                "quarkus.datasource.username", "tracemark"));
        for (int i = 0; i < more.length; i += 2) {
            overrides.put(more[i], more[i + 1]);
        }
        return overrides;
    }
}
