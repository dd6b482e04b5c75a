package io.tracemark.trace.console;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.tracemark.trace.storage.DataFolder;
import io.tracemark.trace.storage.StorageKind;

/**
 * Supplies the key that encrypts console session cookies. A configured key
 * ({@code tracemark.console.session-key}, TRACEMARK_SESSION_KEY) is used as it is; the embedded
 * default generates one into the data folder on first start and keeps it, as it keeps the serial
 * key; on PostgreSQL, where instances share sessions, a missing key stops the start. Without this
 * the form mechanism would make a random key at each start and print it in the log, from which
 * anyone reading the log could forge an administrator's cookie.
 */
public class SessionKeySource implements ConfigSourceFactory {

    static final String FORM_KEY = "quarkus.http.auth.session.encryption-key";
    static final String KEY_FILE = "session.key";
    private static final int GENERATED_KEY_BYTES = 32;
    /** Below application.properties and the environment: a key set there for Quarkus itself wins. */
    private static final int ORDINAL = 150;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        String configured = text(context.getValue("tracemark.console.session-key"));
        String url = text(context.getValue("quarkus.datasource.jdbc.url"));
        String dataDir = text(context.getValue("tracemark.data-dir"));
        return List.of(new KeySource(configured, url, dataDir));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    private static String text(ConfigValue value) {
        return value == null || value.getValue() == null ? "" : value.getValue().strip();
    }

    /** Resolves the key only when the form mechanism asks for it, never while the application is built. */
    static final class KeySource implements ConfigSource {

        private final String configured;
        private final String url;
        private final String dataDir;
        private volatile String key;

        KeySource(String configured, String url, String dataDir) {
            this.configured = configured;
            this.url = url;
            this.dataDir = dataDir;
        }

        @Override
        public Set<String> getPropertyNames() {
            // Not listed, so that nothing reads and records the key while the application is built.
            return Set.of();
        }

        @Override
        public String getValue(String name) {
            if (!FORM_KEY.equals(name)) {
                return null;
            }
            if (key == null) {
                key = resolve(configured, url, dataDir);
            }
            return key;
        }

        @Override
        public String getName() {
            return "tracemark-console-session-key";
        }

        @Override
        public int getOrdinal() {
            return ORDINAL;
        }
    }

    static String resolve(String configured, String url, String dataDir) {
        if (!configured.isEmpty()) {
            if (configured.length() < 16) {
                throw new IllegalStateException("TRACEMARK_SESSION_KEY (tracemark.console.session-key) has "
                        + configured.length() + " characters; at least 16 are required");
            }
            return configured;
        }
        if (!url.startsWith(StorageKind.EMBEDDED.urlPrefix())) {
            throw new IllegalStateException("No console session key configured: set TRACEMARK_SESSION_KEY "
                    + "(property tracemark.console.session-key) to at least 16 random characters, the same on "
                    + "every instance. It encrypts the console's session cookies; keep it secret.");
        }
        return DataFolder.keep(Path.of(dataDir.isEmpty() ? "data" : dataDir), KEY_FILE,
                () -> DataFolder.randomBase64(GENERATED_KEY_BYTES)).text();
    }
}
