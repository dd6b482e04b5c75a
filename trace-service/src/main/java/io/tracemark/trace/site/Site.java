package io.tracemark.trace.site;

import java.time.OffsetDateTime;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/** A place identified by its GLN: a factory, warehouse, distributor or shop. */
@Entity
public class Site extends PanacheEntity {

    @Column(nullable = false, unique = true, length = 13)
    public String gln;

    @Column(nullable = false)
    public String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public SiteRole role;

    public String street;
    public String city;
    public String postalCode;
    /** ISO 3166-1 alpha-2. */
    public String country;
    public Double latitude;
    public Double longitude;

    @Column(nullable = false)
    public OffsetDateTime createdAt;

    public OffsetDateTime updatedAt;

    public static Optional<Site> findByGln(String gln) {
        return find("gln", gln).firstResultOptional();
    }
}
