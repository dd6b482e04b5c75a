package io.tracemark.trace.storage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Which kind of database this instance runs on, read once from the datasource URL. */
@ApplicationScoped
public class Storage {

    private final StorageKind kind;

    public Storage(@ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl) {
        this.kind = StorageKind.ofJdbcUrl(jdbcUrl);
    }

    public StorageKind kind() {
        return kind;
    }

    public boolean embedded() {
        return kind == StorageKind.EMBEDDED;
    }
}
