package io.tracemark.trace.security;

import java.time.OffsetDateTime;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntity;
import io.tracemark.trace.site.Line;

/**
 * A marking station's credential. The key is shown once when issued; only the SHA-256 of its
 * secret part is kept, which suffices because the secret is 256 random bits, not a password.
 */
@Entity
@Table(name = "api_key")
public class ApiKey extends PanacheEntity {

    /** Public half of the key, used to find the row. */
    @Column(nullable = false, unique = true)
    public String keyId;

    @Column(nullable = false)
    public String secretHash;

    @ManyToOne(optional = false, fetch = FetchType.LAZY)
    public Line line;

    public String label;

    @Column(nullable = false)
    public OffsetDateTime createdAt;

    public OffsetDateTime revokedAt;

    public static Optional<ApiKey> findByKeyId(String keyId) {
        return find("keyId", keyId).firstResultOptional();
    }
}
