package io.tracemark.trace.scan;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
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

    /**
     * What a consumer is told of the scans of a code before theirs: how many (counted up to a
     * limit), and the day (UTC) and country of the first. A code copied onto fakes is scanned far
     * more often, and first long before, than one item in one person's hands.
     *
     * @param count the earlier scans, at most the limit asked for
     * @param more whether there are more than {@code count}
     * @param firstOn the day of the first scan, or null when there is none
     * @param firstCountry the country of the first scan (ISO 3166-1 alpha-2), or null when unknown
     */
    public record Earlier(long count, boolean more, LocalDate firstOn, String firstCountry) {
        static final Earlier NONE = new Earlier(0, false, null, null);
    }

    /**
     * The recorded scans of a code, oldest first, read through the (serial, scanned_at) index: at
     * most {@code limit} + 1 rows however often a copied code is scanned. Scans still held by the
     * scan log (the last half second or so) are not among them.
     */
    public static Earlier earlier(String gtin, String serial, int limit) {
        List<Object[]> rows = getEntityManager().createQuery("select s.scannedAt, s.country from Scan s"
                + " where s.serial = ?1 and s.gtin = ?2 order by s.scannedAt", Object[].class).setParameter(1, serial)
                .setParameter(2, gtin).setMaxResults(limit + 1).getResultList();
        if (rows.isEmpty()) {
            return Earlier.NONE;
        }
        OffsetDateTime first = (OffsetDateTime) rows.get(0)[0];
        return new Earlier(Math.min(rows.size(), limit), rows.size() > limit,
                first.withOffsetSameInstant(ZoneOffset.UTC).toLocalDate(), (String) rows.get(0)[1]);
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
