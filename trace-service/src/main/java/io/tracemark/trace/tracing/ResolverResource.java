package io.tracemark.trace.tracing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tracemark.trace.batch.Batch;
import io.tracemark.trace.code.CodeState;
import io.tracemark.trace.gs1.Gs1Keys;
import io.tracemark.trace.problem.ProblemException;
import io.tracemark.trace.problem.ProblemType;

/**
 * The GS1 Digital Link path a code's QR opens: public, answering the consumer's view of the
 * item's trace as JSON, with a verdict on the code. Each scan is recorded with a coarse place and
 * the verdict, nothing about the person who scanned. Browsers get 406 until the scan page exists.
 */
@Path("/01/{gtin}")
@Tag(name = "Digital Link resolver")
public class ResolverResource {

    private static final Pattern CSET82 = Pattern.compile("[!\"%&'()*+,\\-./0-9:;<=>?A-Z_a-z]{1,20}");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final double EARTH_RADIUS_KM = 6371.0;

    private final TraceService service;
    private final double farAwayKm;
    private final String countryHeader;

    public ResolverResource(TraceService service,
            @ConfigProperty(name = "tracemark.tracing.far-away-km", defaultValue = "300") double farAwayKm,
            @ConfigProperty(name = "tracemark.tracing.country-header", defaultValue = "CF-IPCountry") String countryHeader) {
        this.service = service;
        this.farAwayKm = farAwayKm;
        this.countryHeader = countryHeader;
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

    public record PublicStep(OffsetDateTime time, String bizStep, String disposition, PublicPlace place) {
    }

    public record PublicSale(OffsetDateTime at, PublicPlace place) {
    }

    /** What a consumer's phone is answered. */
    public record ConsumerTrace(Verdict verdict, String message, String serial, PublicProduct product,
            PublicOrigin origin, List<PublicStep> journey, PublicSale sold, boolean recalled) {
    }

    @GET
    @Path("21/{serial}")
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Resolve a scanned code (GS1 Digital Link)", description = "Public. With Accept:"
            + " application/json, the item's trace as a consumer may see it and a verdict on the code: genuine,"
            + " never_issued, voided, recalled or sold_scanned_far_away. ?lat=&lon= (rounded to about 10 km before"
            + " they are stored) lets the service notice a code scanned far from where it was sold.")
    public Response resolve(@PathParam("gtin") String gtin, @PathParam("serial") String serial,
            @QueryParam("lat") String lat, @QueryParam("lon") String lon, @HeaderParam(HttpHeaders.ACCEPT) String accept,
            @jakarta.ws.rs.core.Context HttpHeaders headers) {
        return answer(gtin, null, serial, lat, lon, accept, headers.getHeaderString(countryHeader));
    }

    @GET
    @Path("10/{lot}/21/{serial}")
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Resolve a scanned code that carries its lot (GS1 Digital Link)")
    public Response resolveWithLot(@PathParam("gtin") String gtin, @PathParam("lot") String lot,
            @PathParam("serial") String serial, @QueryParam("lat") String lat, @QueryParam("lon") String lon,
            @HeaderParam(HttpHeaders.ACCEPT) String accept, @jakarta.ws.rs.core.Context HttpHeaders headers) {
        return answer(gtin, lot, serial, lat, lon, accept, headers.getHeaderString(countryHeader));
    }

    private Response answer(String gtinText, String lot, String serial, String lat, String lon, String accept,
            String countryText) {
        String gtin = Gs1Keys.gtin14(gtinText)
                .orElseThrow(() -> ProblemException.invalid("gtin", "'" + gtinText + "' " + Gs1Keys.whyNotGtin(gtinText)));
        if (lot != null && !CSET82.matcher(lot).matches()) {
            throw ProblemException.invalid("lot", "must be 1 to 20 characters of GS1 character set 82");
        }
        if (!CSET82.matcher(serial).matches()) {
            throw ProblemException.invalid("serial", "must be 1 to 20 characters of GS1 character set 82");
        }
        BigDecimal[] place = coarsePlace(lat, lon);
        if (!wantsJson(accept)) {
            throw new ProblemException(ProblemType.NOT_ACCEPTABLE, "The scan page is not offered yet:"
                    + " ask for application/json to get the product's trace");
        }
        String country = countryText != null && COUNTRY.matcher(countryText.strip().toUpperCase(Locale.ROOT)).matches()
                && !"XX".equalsIgnoreCase(countryText.strip()) ? countryText.strip().toUpperCase(Locale.ROOT) : null;
        TraceService.Item item;
        try {
            item = service.resolve(gtin, lot, serial);
        } catch (ProblemException notIssued) {
            record(serial, gtin, place, country, Verdict.NEVER_ISSUED);
            throw notIssued;
        }
        TraceService.ItemTrace trace = service.trace(item);
        Verdict verdict = verdict(trace, place);
        record(item.serial(), gtin, place, country, verdict);
        Batch batch = item.code().batch;
        TraceService.Origin origin = trace.origin();
        ConsumerTrace answer = new ConsumerTrace(verdict, verdict.message(), item.serial(),
                new PublicProduct(gtin, batch.product.name, batch.product.brand, batch.product.description,
                        batch.product.imageUrl),
                new PublicOrigin(PublicPlace.of(origin.site()), batch.lot, batch.productionDate, batch.expiryDate,
                        origin.commissionedAt()),
                trace.journey().stream().map(step -> new PublicStep(step.eventTime(), step.bizStep(),
                        step.disposition(), PublicPlace.of(step.bizLocation() != null ? step.bizLocation()
                                : step.readPoint())))
                        .toList(),
                trace.sold() == null ? null : new PublicSale(trace.sold().at(), PublicPlace.of(trace.sold().place())),
                trace.recalled());
        return Response.ok(answer).header(HttpHeaders.VARY, HttpHeaders.ACCEPT).build();
    }

    private Verdict verdict(TraceService.ItemTrace trace, BigDecimal[] place) {
        if (trace.code().state() == CodeState.VOIDED) {
            return Verdict.VOIDED;
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

    private static void record(String serial, String gtin, BigDecimal[] place, String country, Verdict verdict) {
        QuarkusTransaction.requiringNew().run(() -> {
            Scan scan = new Scan();
            scan.serial = serial;
            scan.gtin = gtin;
            scan.scannedAt = OffsetDateTime.now(ZoneOffset.UTC);
            scan.latitude = place == null ? null : place[0];
            scan.longitude = place == null ? null : place[1];
            scan.country = country;
            scan.verdict = verdict.json();
            scan.persist();
        });
    }

    /** Latitude and longitude rounded to one decimal (about 10 km), or null when none were given. */
    private static BigDecimal[] coarsePlace(String lat, String lon) {
        if (lat == null && lon == null) {
            return null;
        }
        if (lat == null || lon == null) {
            throw ProblemException.invalid(lat == null ? "lat" : "lon", "is needed with " + (lat == null ? "lon" : "lat"));
        }
        return new BigDecimal[] { coordinate("lat", lat, 90), coordinate("lon", lon, 180) };
    }

    private static BigDecimal coordinate(String name, String text, int limit) {
        BigDecimal value;
        try {
            value = new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.invalid(name, "'" + text + "' is not a number in decimal degrees");
        }
        if (value.abs().compareTo(BigDecimal.valueOf(limit)) > 0) {
            throw ProblemException.invalid(name, "must be between -" + limit + " and " + limit);
        }
        return value.setScale(1, RoundingMode.HALF_UP);
    }

    /** JSON for clients that name it, send no Accept, or accept anything and nothing else. */
    static boolean wantsJson(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        String lower = accept.toLowerCase(Locale.ROOT);
        if (lower.contains("application/json")) {
            return true;
        }
        return lower.strip().startsWith("*/*") && !lower.contains("text/html");
    }

    static double distanceKm(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.sin(dLat / 2) * Math.sin(dLat / 2) + Math.cos(Math.toRadians(lat1))
                * Math.cos(Math.toRadians(lat2)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(Math.min(1, a)));
    }
}
