package io.tracemark.trace.scan;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.tracemark.trace.batch.Batch;
import io.tracemark.trace.code.CodeState;
import io.tracemark.trace.problem.ProblemException;
import io.tracemark.trace.scan.ConsumerTrace.PublicOrigin;
import io.tracemark.trace.scan.ConsumerTrace.PublicPlace;
import io.tracemark.trace.scan.ConsumerTrace.PublicProduct;
import io.tracemark.trace.scan.ConsumerTrace.PublicSale;
import io.tracemark.trace.scan.ConsumerTrace.PublicStep;
import io.tracemark.trace.tracing.Journey;
import io.tracemark.trace.tracing.TraceService;

/**
 * What a consumer who scans a code is told, and the record of the scan: the code looked up in the
 * registry, the item's story read from the item view, a verdict on the code. Nothing about the
 * person who scanned is kept.
 */
@ApplicationScoped
public class ConsumerView {

    private static final double EARTH_RADIUS_KM = 6371.0;
    /** Earlier scans are counted up to this: beyond it, "more than 100" tells the consumer enough. */
    static final int EARLIER_LIMIT = 100;

    private final TraceService service;
    private final ScanLog scans;
    private final double farAwayKm;

    public ConsumerView(TraceService service, ScanLog scans,
            @ConfigProperty(name = "tracemark.tracing.far-away-km", defaultValue = "300") double farAwayKm) {
        this.service = service;
        this.scans = scans;
        this.farAwayKm = farAwayKm;
    }

    /** What a scan found: the consumer's view and the line's name (null for a code we never issued). */
    record Looked(ConsumerTrace answer, String lineName) {
    }

    /**
     * Looks a scanned code up, judges it and records the scan. Reads the item view (a few key
     * look-ups), never the item's event history.
     *
     * @param place the scan's coarse latitude and longitude, or null
     * @param country the country a CDN in front named, or null
     */
    Looked lookUp(String gtin, String lot, String serial, BigDecimal[] place, String country) {
        TraceService.Item item;
        try {
            item = service.resolve(gtin, lot, serial);
        } catch (ProblemException notIssued) {
            record(serial, gtin, place, country, Verdict.NEVER_ISSUED);
            return new Looked(ConsumerTrace.neverIssued(gtin, serial), null);
        }
        TraceService.ItemTrace trace = service.viewed(item);
        Verdict verdict = verdict(trace, place);
        // Read before this scan is recorded: the consumer learns of the scans before theirs.
        Scan.Earlier earlier = verdict == Verdict.NOT_IN_CIRCULATION ? null : Scan.earlier(gtin, item.serial(), EARLIER_LIMIT);
        record(item.serial(), gtin, place, country, verdict);
        return new Looked(consumerView(item, trace, verdict, earlier), trace.origin().line().name());
    }

    private static ConsumerTrace consumerView(TraceService.Item item, TraceService.ItemTrace trace, Verdict verdict,
            Scan.Earlier earlier) {
        Batch batch = item.code().batch;
        TraceService.Origin origin = trace.origin();
        PublicProduct product = new PublicProduct(item.gtin(), batch.product.name, batch.product.brand,
                batch.product.description, batch.product.imageUrl);
        if (verdict == Verdict.NOT_IN_CIRCULATION) {
            // No item left the factory with this code: a factory, a lot and dates would vouch for a fake.
            return new ConsumerTrace(verdict, verdict.message(), item.serial(), product, null, List.of(), null, false,
                    null);
        }
        return new ConsumerTrace(verdict, verdict.message(), item.serial(), product,
                new PublicOrigin(PublicPlace.of(origin.site()), batch.lot, batch.productionDate, batch.expiryDate,
                        origin.commissionedAt()),
                publicJourney(trace.journey()),
                trace.sold() == null ? null
                        : new PublicSale(trace.sold().localTime(), PublicPlace.of(trace.sold().place())),
                trace.recalled(), earlier);
    }

    /**
     * The steps as a consumer reads them. A step that would read exactly as the one before is left
     * out: an item packed into a case that is then packed onto a pallet at the same place was, to
     * the consumer, packed once.
     */
    static List<PublicStep> publicJourney(List<Journey.Step> steps) {
        List<PublicStep> lines = new ArrayList<>();
        for (Journey.Step step : steps) {
            PublicPlace place = PublicPlace.of(step.bizLocation() != null ? step.bizLocation() : step.readPoint());
            PublicPlace destination = destination(step);
            // A receipt names its own site as destination: only a place elsewhere says where it went.
            PublicStep line = new PublicStep(step.localTime(), step.bizStep(), step.disposition(), place,
                    Objects.equals(destination, place) ? null : destination);
            if (lines.isEmpty() || !line.readsAs(lines.get(lines.size() - 1))) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** Where a shipment went: the destination location when it names one, else the receiving party. */
    private static PublicPlace destination(Journey.Step step) {
        return step.destinations().stream().filter(party -> PublicPlace.of(party.place()) != null)
                .sorted(Comparator.comparing(party -> party.type() == null || !party.type().endsWith("location")))
                .map(party -> PublicPlace.of(party.place())).findFirst().orElse(null);
    }

    private Verdict verdict(TraceService.ItemTrace trace, BigDecimal[] place) {
        if (trace.code().state() == CodeState.VOIDED) {
            return Verdict.VOIDED;
        }
        // Issued but never commissioned, by the line or by a commissioning event captured from elsewhere:
        // no item with this code left the factory, so one in a consumer's hand is not ours.
        if (trace.code().state() != CodeState.COMMISSIONED && trace.origin().commissionedAt() == null) {
            return Verdict.NOT_IN_CIRCULATION;
        }
        if (trace.recalled()) {
            return Verdict.RECALLED;
        }
        Journey.Sale sold = trace.sold();
        if (sold != null && place != null && sold.place() != null && sold.place().latitude() != null
                && sold.place().longitude() != null
                && distanceKm(place[0].doubleValue(), place[1].doubleValue(), sold.place().latitude(),
                        sold.place().longitude()) > farAwayKm) {
            return Verdict.SOLD_SCANNED_FAR_AWAY;
        }
        return Verdict.GENUINE;
    }

    /** Hands the scan to the scan log, which writes it with others (see docs/scan-page.md). */
    private void record(String serial, String gtin, BigDecimal[] place, String country, Verdict verdict) {
        scans.record(new ScanRecord(serial, gtin, OffsetDateTime.now(ZoneOffset.UTC),
                place == null ? null : place[0], place == null ? null : place[1], country, verdict.json()));
    }

    static double distanceKm(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.sin(dLat / 2) * Math.sin(dLat / 2) + Math.cos(Math.toRadians(lat1))
                * Math.cos(Math.toRadians(lat2)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(Math.min(1, a)));
    }
}
