package io.tracemark.trace.product;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;

import io.quarkus.hibernate.orm.panache.PanacheEntity;
import io.tracemark.trace.storage.JsonAttributes;

/** A trade item identified by its GTIN-14: what a code says the item is. */
@Entity
public class Product extends PanacheEntity {

    @Column(nullable = false, unique = true, length = 14)
    public String gtin;

    @Column(nullable = false)
    public String name;

    public String brand;

    public String description;

    public String imageUrl;

    @Convert(converter = JsonAttributes.class)
    public Map<String, String> attributes;

    @Column(nullable = false)
    public OffsetDateTime createdAt;

    public OffsetDateTime updatedAt;

    public static Optional<Product> findByGtin(String gtin14) {
        return find("gtin", gtin14).firstResultOptional();
    }
}
