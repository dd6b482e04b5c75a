package io.tracemark.trace.scan;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;

import io.tracemark.trace.tracing.Journey;

/**
 * What a consumer's phone is answered about a scanned code: a verdict, what the item went through,
 * and how often the code was scanned before (null where nothing vouches for the item).
 */
public record ConsumerTrace(Verdict verdict, String message, String serial, PublicProduct product,
        PublicOrigin origin, List<PublicStep> journey, PublicSale sold, boolean recalled, Scan.Earlier earlierScans) {

    /** A code the registry never issued: nothing to tell but the code as scanned and the warning. */
    static ConsumerTrace neverIssued(String gtin, String serial) {
        return new ConsumerTrace(Verdict.NEVER_ISSUED, Verdict.NEVER_ISSUED.message(), serial,
                new PublicProduct(gtin, null, null, null, null), null, List.of(), null, false, null);
    }

    /** A place as consumers see it: a site's name, city and country, no identifiers. */
    public record PublicPlace(String name, String city, String country) {
        static PublicPlace of(Journey.Place place) {
            return place == null || place.name() == null ? null
                    : new PublicPlace(place.name(), place.city(), place.country());
        }
    }

    public record PublicProduct(String gtin, String name, String brand, String description, String imageUrl) {
    }

    public record PublicOrigin(PublicPlace madeAt, String lot, LocalDate productionDate, LocalDate expiryDate,
            OffsetDateTime commissionedAt) {
    }

    /**
     * One step of the journey on the clocks where it happened; a shipment names where it went.
     *
     * @param destination where a shipment was sent, or null for any other step
     */
    public record PublicStep(OffsetDateTime time, String bizStep, String disposition, PublicPlace place,
            PublicPlace destination) {

        /** Whether a consumer would read the two as the same line: same step, same place, same destination. */
        boolean readsAs(PublicStep other) {
            return Objects.equals(bizStep, other.bizStep) && Objects.equals(place, other.place)
                    && Objects.equals(destination, other.destination);
        }
    }

    /** When (on the shop's clocks) and where the item was sold. */
    public record PublicSale(OffsetDateTime at, PublicPlace place) {
    }
}
