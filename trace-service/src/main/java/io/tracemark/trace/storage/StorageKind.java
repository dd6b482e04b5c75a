package io.tracemark.trace.storage;

/** Where the registry and ledger live. */
public enum StorageKind {
    /** The production store, and the one the test suite runs against. */
    POSTGRESQL("jdbc:postgresql:"),
    /** The zero-install default: an H2 file database in the data folder. */
    EMBEDDED("jdbc:h2:");

    private final String urlPrefix;

    StorageKind(String urlPrefix) {
        this.urlPrefix = urlPrefix;
    }

    public String urlPrefix() {
        return urlPrefix;
    }

    public static StorageKind ofJdbcUrl(String url) {
        for (StorageKind kind : values()) {
            if (url.startsWith(kind.urlPrefix)) {
                return kind;
            }
        }
        throw new IllegalArgumentException(
                "Unsupported database URL '" + url + "': Tracemark runs on jdbc:postgresql: or the embedded jdbc:h2: default");
    }
}
