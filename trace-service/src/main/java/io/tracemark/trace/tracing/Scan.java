package io.tracemark.trace.tracing;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A consumer's scan of a code: when, roughly where, and what the consumer was told. Nothing about
 * the consumer: no IP address, no device, no exact position.
 */
@Entity
public class Scan extends PanacheEntityBase {

    @Id
    @SequenceGenerator(name = "scan_seq", sequenceName = "scan_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "scan_seq")
    public Long id;

    @Column(nullable = false)
    public String serial;

    @Column(nullable = false)
    public String gtin;

    @Column(nullable = false)
    public OffsetDateTime scannedAt;

    /** Rounded to one decimal, about 10 km. */
    public BigDecimal latitude;
    public BigDecimal longitude;

    /** ISO 3166-1 alpha-2. */
    public String country;

    @Column(nullable = false)
    public String verdict;
}
