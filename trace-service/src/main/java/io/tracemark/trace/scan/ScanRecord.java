package io.tracemark.trace.scan;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * One consumer scan as the scan log writes it into {@code scan}: when, roughly where, and what the
 * consumer was told. Nothing about the person who scanned.
 *
 * @param latitude rounded to one decimal (about 10 km), or null when the phone sent no place
 * @param longitude likewise
 * @param country ISO 3166-1 alpha-2, or null
 * @param verdict the verdict's JSON name, e.g. {@code genuine} or {@code never_issued}
 */
public record ScanRecord(String serial, String gtin, OffsetDateTime scannedAt, BigDecimal latitude,
        BigDecimal longitude, String country, String verdict) {

    public ScanRecord {
        // Refused here, in the request that made it, rather than by the database long after the answer.
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(gtin, "gtin");
        Objects.requireNonNull(scannedAt, "scannedAt");
        Objects.requireNonNull(verdict, "verdict");
    }
}
