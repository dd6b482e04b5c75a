package io.tracemark.trace.storage;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Test profiles on the zero-install default: the embedded H2 file database, in a data folder of
 * the profile's own under target/, with the settings the service uses when no URL is configured.
 */
public final class EmbeddedDatabase {

    private EmbeddedDatabase() {
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
