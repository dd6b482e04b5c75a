package io.tracemark.trace.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.logging.Logger;

import org.h2.store.fs.disk.FilePathDisk;

/**
 * One build of Tracemark runs on PostgreSQL in production and on an embedded H2 file
 * database (PostgreSQL compatibility mode) as its zero-install default. Quarkus fixes the
 * JDBC driver class at build time, so this driver hands each connection to the real driver
 * that the configured URL names, and the choice becomes a run-time one.
 */
public final class TracemarkJdbcDriver implements Driver {

    private final Driver postgres = new org.postgresql.Driver();
    private final Driver h2 = new org.h2.Driver();

    private static final String H2_FILE = "jdbc:h2:file:";
    private static final String REWRITE_BATCHED_INSERTS = "reWriteBatchedInserts";
    private static final String CLOSE_ON_EXIT = "DB_CLOSE_ON_EXIT";
    private static final String OWNER_ONLY = "jdbc:h2:" + OwnerOnlyFiles.SCHEME + ":";

    /** The data folders made owner-only by this process, each once. */
    private final Set<Path> guardedFolders = ConcurrentHashMap.newKeySet();
    /** The first open of each embedded database, which recovers it after a crash. */
    private final Map<String, CompletableFuture<Void>> firstOpens = new ConcurrentHashMap<>();
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(TracemarkJdbcDriver.class);

    static {
        OwnerOnlyFiles.register();
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        Driver target = driverFor(url);
        if (target == h2) {
            String embedded = embedded(anchored(url));
            if (embedded.startsWith(OWNER_ONLY)) {
                awaitFirstOpen(embedded, info);
            }
            return h2.connect(embedded, info);
        }
        return target == null ? null : target.connect(url, target == postgres ? postgresProperties(info) : info);
    }

    /**
     * The ledger and the item view write their rows as JDBC batches of inserts; PostgreSQL's driver
     * sends such a batch as multi-row inserts when asked to, which PostgreSQL executes several times
     * faster than as many single-row statements. Asked for unless the connection's properties say
     * otherwise (a {@code reWriteBatchedInserts} parameter in the URL overrides properties).
     */
    static Properties postgresProperties(Properties info) {
        if (info != null && info.containsKey(REWRITE_BATCHED_INSERTS)) {
            return info;
        }
        Properties properties = new Properties();
        if (info != null) {
            properties.putAll(info);
        }
        properties.setProperty(REWRITE_BATCHED_INSERTS, "true");
        return properties;
    }

    /**
     * Opens the embedded database once on a thread of its own before any pooled connection does.
     * After a crash, H2 rolls back the transactions it finds unfinished while it opens, which can
     * outlast the pool's acquisition timeout; the pool then interrupts the opening thread, the
     * interrupt closes H2's file channel, the open fails, and every later start fails the same way.
     * On its own thread the recovery runs to its end whatever the pool does; callers that gave up
     * meanwhile get an error, and their retry (Flyway's at start) waits for the same open.
     */
    private void awaitFirstOpen(String url, Properties info) throws SQLException {
        CompletableFuture<Void> open = firstOpens.computeIfAbsent(url, u -> openAlone(u, info));
        try {
            open.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while the embedded database recovers; it goes on recovering", e);
        } catch (ExecutionException e) {
            firstOpens.remove(url, open);
            throw e.getCause() instanceof SQLException sql ? sql
                    : new SQLException("Cannot open the embedded database", e.getCause());
        }
    }

    private CompletableFuture<Void> openAlone(String url, Properties info) {
        CompletableFuture<Void> open = new CompletableFuture<>();
        Thread opener = new Thread(() -> {
            long started = System.nanoTime();
            try (Connection first = h2.connect(url, info)) {
                LOG.debugf("Embedded database open in %d ms", (System.nanoTime() - started) / 1_000_000);
                open.complete(null);
            } catch (SQLException | RuntimeException e) {
                open.completeExceptionally(e);
            }
        }, "embedded-database-open");
        opener.setDaemon(true);
        opener.start();
        return open;
    }

    /**
     * An embedded file database as the service opens it: its folder owner-only, its files created
     * through {@link OwnerOnlyFiles}, and closed by the service's own orderly shutdown, after the
     * marking runs have settled, rather than by H2's shutdown hook racing it.
     */
    String embedded(String url) throws SQLException {
        if (!url.startsWith(H2_FILE)) {
            return url;
        }
        String rest = url.substring(H2_FILE.length());
        int options = rest.indexOf(';');
        String file = options < 0 ? rest : rest.substring(0, options);
        String settings = options < 0 ? "" : rest.substring(options);
        Path folder = Path.of(FilePathDisk.expandUserHomeDirectory(file)).toAbsolutePath().getParent();
        if (folder != null && guardedFolders.add(folder)) {
            try {
                DataFolder.create(folder);
            } catch (IOException e) {
                guardedFolders.remove(folder);
                throw new SQLException("Cannot create or restrict the data folder " + folder, e);
            }
        }
        if (!settings.toUpperCase(Locale.ROOT).contains(";" + CLOSE_ON_EXIT + "=")) {
            settings += ";" + CLOSE_ON_EXIT + "=FALSE";
        }
        // retry: reopens H2's file channel when an interrupted thread closed it, instead of
        // leaving the database closed for every other connection.
        return OWNER_ONLY + "retry:" + file + settings;
    }

    /**
     * H2 refuses file paths relative to the working directory unless they start with "./"; the
     * data folder is configured as a plain path, so relative ones are resolved here.
     */
    static String anchored(String url) {
        if (!url.startsWith(H2_FILE)) {
            return url;
        }
        String rest = url.substring(H2_FILE.length());
        int options = rest.indexOf(';');
        String file = options < 0 ? rest : rest.substring(0, options);
        if (file.startsWith("~") || file.startsWith("./") || Path.of(file).isAbsolute()) {
            return url;
        }
        return H2_FILE + Path.of(file).toAbsolutePath() + (options < 0 ? "" : rest.substring(options));
    }

    @Override
    public boolean acceptsURL(String url) {
        return driverFor(url) != null;
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        Driver target = driverFor(url);
        return target == null ? new DriverPropertyInfo[0] : target.getPropertyInfo(url, info);
    }

    @Override
    public int getMajorVersion() {
        return 1;
    }

    @Override
    public int getMinorVersion() {
        return 0;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no java.util.logging parent logger");
    }

    private Driver driverFor(String url) {
        if (url == null) {
            return null;
        }
        if (url.startsWith(StorageKind.POSTGRESQL.urlPrefix())) {
            return postgres;
        }
        if (url.startsWith(StorageKind.EMBEDDED.urlPrefix())) {
            return h2;
        }
        return null;
    }
}
