package io.tracemark.trace.storage;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

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

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        Driver target = driverFor(url);
        if (target == h2) {
            return h2.connect(anchored(url), info);
        }
        return target == null ? null : target.connect(url, info);
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
