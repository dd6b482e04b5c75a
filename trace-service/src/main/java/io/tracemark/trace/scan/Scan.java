package io.tracemark.trace.scan;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.TreeMap;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A consumer's scan of a code: when, roughly where, and what the consumer was told. Nothing about
 * the consumer: no IP address, no device, no exact position. Written in groups by the scan log
 * ({@link io.tracemark.trace.scan.ScanLog}), read here.
 */
@Entity
public class Scan extends PanacheEntityBase {

    /** The column's default (V18): the scan log's inserts leave it to the database. */
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
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

    /**
     * How the scans of one code were answered: how many there were, how many of them are
     * counterfeit signals ({@link Verdict#counterfeitSignal()}), and how many had each verdict.
     */
    public record Signals(long scans, long counterfeit, Map<String, Long> byVerdict) {
    }

    /** The signals of the scans of a code, found by its GTIN and serial as scanned. */
    public static Signals signals(String gtin, String serial) {
        Map<String, Long> byVerdict = new TreeMap<>();
        getEntityManager().createQuery("select s.verdict, count(s) from Scan s where s.serial = ?1 and s.gtin = ?2"
                + " group by s.verdict", Object[].class).setParameter(1, serial).setParameter(2, gtin).getResultList()
                .forEach(row -> byVerdict.put((String) row[0], (Long) row[1]));
        long counterfeit = byVerdict.entrySet().stream()
                .filter(verdict -> Verdict.stored(verdict.getKey()).map(Verdict::counterfeitSignal).orElse(false))
                .mapToLong(Map.Entry::getValue).sum();
        return new Signals(byVerdict.values().stream().mapToLong(Long::longValue).sum(), counterfeit, byVerdict);
    }
}
