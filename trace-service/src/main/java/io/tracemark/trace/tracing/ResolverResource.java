package io.tracemark.trace.tracing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tracemark.trace.batch.Batch;
import io.tracemark.trace.code.CodeRegistry;
import io.tracemark.trace.code.CodeState;
import io.tracemark.trace.gs1.Gs1Keys;
import io.tracemark.trace.problem.ProblemException;
import io.tracemark.trace.problem.ProblemType;
import io.tracemark.trace.scan.Linkset;
import io.tracemark.trace.scan.Negotiation;
import io.tracemark.trace.scan.Negotiation.Representation;
import io.tracemark.trace.scan.ScanLog;
import io.tracemark.trace.scan.ScanPages;
import io.tracemark.trace.scan.ScanRecord;

/**
 * The GS1 Digital Link path a code's QR opens: public, answering the consumer's view of the
 * item's trace as JSON, with a verdict on the code. Each scan is recorded with a coarse place and
 * the verdict, nothing about the person who scanned. Browsers get the scan page (io.tracemark.trace.scan),
 * GS1 clients the code's linkset.
 */
@Path("/01/{gtin}")
@Tag(name = "Digital Link resolver")
public class ResolverResource {

    private static final Pattern CSET82 = Pattern.compile("[!\"%&'()*+,\\-./0-9:;<=>?A-Z_a-z]{1,20}");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final double EARTH_RADIUS_KM = 6371.0;

    private static final String LINKSET = "application/linkset+json";
    private static final String LINK = "Link";

    private final TraceService service;
    private final CodeRegistry registry;
    private final ScanPages pages;
    private final ObjectMapper json;
    private final double farAwayKm;
    private final String countryHeader;
    private final ScanLog scans;

    public ResolverResource(TraceService service, CodeRegistry registry, ScanPages pages, ObjectMapper json,
            ScanLog scans,
            @ConfigProperty(name = "tracemark.tracing.far-away-km", defaultValue = "300") double farAwayKm,
            @ConfigProperty(name = "tracemark.tracing.country-header", defaultValue = "CF-IPCountry") String countryHeader) {
        this.service = service;
        this.registry = registry;
        this.pages = pages;
        this.json = json;
        this.farAwayKm = farAwayKm;
        this.countryHeader = countryHeader;
        this.scans = scans;
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

    /** What a consumer's phone is answered. */
    public record ConsumerTrace(Verdict verdict, String message, String serial, PublicProduct product,
            PublicOrigin origin, List<PublicStep> journey, PublicSale sold, boolean recalled) {

        /** A code the registry never issued: nothing to tell but the code as scanned and the warning. */
        static ConsumerTrace neverIssued(String gtin, String serial) {
            return new ConsumerTrace(Verdict.NEVER_ISSUED, Verdict.NEVER_ISSUED.message(), serial,
                    new PublicProduct(gtin, null, null, null, null), null, List.of(), null, false);
        }
    }

    @GET
    @Path("21/{serial}")
    @PermitAll
    @Produces({ MediaType.APPLICATION_JSON, MediaType.TEXT_HTML, LINKSET })
    @Operation(summary = "Resolve a scanned code (GS1 Digital Link)", description = "Public. Browsers (Accept:"
            + " text/html) get the scan page in English or Chinese by Accept-Language; apps (Accept:"
            + " application/json) the item's trace as a consumer may see it and a verdict on the code: genuine,"
            + " not_in_circulation (issued, but no item with it was commissioned), voided, recalled or"
            + " sold_scanned_far_away; a code the registry never issued is a 404 whose body is the verdict"
            + " never_issued. ?lat=&lon= (rounded to about 10 km before"
            + " they are stored) lets the service notice a code scanned far from where it was sold. ?linkType=all"
            + " answers the code's GS1 linkset; ?linkType=gs1:pip (or another offered type) redirects to that link.")
    @APIResponse(responseCode = "200", description = "The consumer's view and verdict (JSON), the scan page, or the linkset")
    @APIResponse(responseCode = "307", description = "?linkType named an offered link: to that link")
    @APIResponse(responseCode = "400", description = "gtin, lot, serial, lat or lon malformed; no scan recorded")
    @APIResponse(responseCode = "404", description = "A code the registry never issued: the consumer JSON (or page) with"
            + " verdict never_issued; or an unknown linkType (problem document)")
    @APIResponse(responseCode = "406", description = "The client accepts none of JSON, HTML or a linkset")
    public Response resolve(@PathParam("gtin") String gtin, @PathParam("serial") String serial,
            @QueryParam("lat") String lat, @QueryParam("lon") String lon, @QueryParam("linkType") String linkType,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        return answer(new Request(gtin, null, serial, lat, lon, linkType), headers, uri);
    }

    @GET
    @Path("10/{lot}/21/{serial}")
    @PermitAll
    @Produces({ MediaType.APPLICATION_JSON, MediaType.TEXT_HTML, LINKSET })
    @Operation(summary = "Resolve a scanned code that carries its lot (GS1 Digital Link)")
    public Response resolveWithLot(@PathParam("gtin") String gtin, @PathParam("lot") String lot,
            @PathParam("serial") String serial, @QueryParam("lat") String lat, @QueryParam("lon") String lon,
            @QueryParam("linkType") String linkType, @Context HttpHeaders headers, @Context UriInfo uri) {
        return answer(new Request(gtin, lot, serial, lat, lon, linkType), headers, uri);
    }

    /** The parts of a resolver request, as the client wrote them. */
    private record Request(String gtin, String lot, String serial, String lat, String lon, String linkType) {
    }

    private Response answer(Request request, HttpHeaders headers, UriInfo uri) {
        String gtin = validGtin(request);
        BigDecimal[] place = coarsePlace(request.lat(), request.lon());
        Representation wanted = Negotiation.representation(headers.getAcceptableMediaTypes());
        if (request.linkType() != null && !request.linkType().isBlank()) {
            if (!Linkset.isAll(request.linkType())) {
                return redirect(request.linkType(), uri);
            }
            wanted = Representation.LINKSET;
        }
        if (wanted == Representation.LINKSET) {
            // A linkset tells where the code's information is; it is no scan, so none is recorded.
            TraceService.Item item = service.resolve(gtin, request.lot(), request.serial());
            return linkset(registry.uri(item.gtin(), item.lot(), item.serial()), uri);
        }
        return scan(gtin, request, place, wanted == Representation.HTML, headers, uri);
    }

    /** The GTIN-14 of a well-formed request; lot and serial checked too. */
    private static String validGtin(Request request) {
        String gtin = Gs1Keys.gtin14(request.gtin()).orElseThrow(() -> ProblemException.invalid("gtin",
                "'" + request.gtin() + "' " + Gs1Keys.whyNotGtin(request.gtin())));
        if (request.lot() != null && !CSET82.matcher(request.lot()).matches()) {
            throw ProblemException.invalid("lot", "must be 1 to 20 characters of GS1 character set 82");
        }
        if (!CSET82.matcher(request.serial()).matches()) {
            throw ProblemException.invalid("serial", "must be 1 to 20 characters of GS1 character set 82");
        }
        return gtin;
    }

    /** A consumer's scan: recorded with its verdict, answered as the page or as JSON. */
    private Response scan(String gtin, Request request, BigDecimal[] place, boolean html, HttpHeaders headers,
            UriInfo uri) {
        String country = country(headers.getHeaderString(countryHeader));
        String language = headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE);
        // One transaction for the look-up, the trace and the scan's record: the registry, the tracer
        // and the record then share its one connection, so a burst of scans can never hold every
        // connection of the pool while each waits for a second one.
        Looked looked = QuarkusTransaction.requiringNew().call(() -> lookUp(gtin, request, place, country));
        // A code we never issued is no page of ours: 404, with the verdict the consumer must hear.
        Response.ResponseBuilder status = looked.answer().verdict() == Verdict.NEVER_ISSUED
                ? Response.status(Response.Status.NOT_FOUND)
                : Response.ok();
        if (html) {
            return page(status, pages.item(looked.answer(), looked.lineName(), language, uri.getPath()), uri);
        }
        return status.entity(looked.answer()).type(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.VARY, HttpHeaders.ACCEPT).header(LINK, linksetLink(uri)).build();
    }

    /** What a scan found: the consumer's view and the line's name (null for a code we never issued). */
    private record Looked(ConsumerTrace answer, String lineName) {
    }

    private Looked lookUp(String gtin, Request request, BigDecimal[] place, String country) {
        TraceService.Item item;
        try {
            item = service.resolve(gtin, request.lot(), request.serial());
        } catch (ProblemException notIssued) {
            record(request.serial(), gtin, place, country, Verdict.NEVER_ISSUED);
            return new Looked(ConsumerTrace.neverIssued(gtin, request.serial()), null);
        }
        TraceService.ItemTrace trace = service.trace(item);
        Verdict verdict = verdict(trace, place);
        record(item.serial(), gtin, place, country, verdict);
        return new Looked(consumerView(item, trace, verdict), trace.origin().line().name());
    }

    /** The country a CDN in front says the scan came from, when it names one. */
    private static String country(String header) {
        if (header == null) {
            return null;
        }
        String code = header.strip().toUpperCase(Locale.ROOT);
        return COUNTRY.matcher(code).matches() && !"XX".equals(code) ? code : null;
    }

    private static ConsumerTrace consumerView(TraceService.Item item, TraceService.ItemTrace trace, Verdict verdict) {
        Batch batch = item.code().batch;
        TraceService.Origin origin = trace.origin();
        PublicProduct product = new PublicProduct(item.gtin(), batch.product.name, batch.product.brand,
                batch.product.description, batch.product.imageUrl);
        if (verdict == Verdict.NOT_IN_CIRCULATION) {
            // No item left the factory with this code: a factory, a lot and dates would vouch for a fake.
            return new ConsumerTrace(verdict, verdict.message(), item.serial(), product, null, List.of(), null, false);
        }
        return new ConsumerTrace(verdict, verdict.message(), item.serial(), product,
                new PublicOrigin(PublicPlace.of(origin.site()), batch.lot, batch.productionDate, batch.expiryDate,
                        origin.commissionedAt()),
                publicJourney(trace.journey()),
                trace.sold() == null ? null
                        : new PublicSale(trace.sold().localTime(), PublicPlace.of(trace.sold().place())),
                trace.recalled());
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

    private static Response page(Response.ResponseBuilder status, String html, UriInfo uri) {
        return status.type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(html)
                .header(HttpHeaders.VARY, HttpHeaders.ACCEPT + ", " + HttpHeaders.ACCEPT_LANGUAGE)
                .header(LINK, linksetLink(uri)).build();
    }

    /** A named link type: 307 to its link, the code's own URL with the other parameters kept. */
    private static Response redirect(String linkType, UriInfo uri) {
        if (!Linkset.isKnown(linkType)) {
            throw new ProblemException(ProblemType.NOT_FOUND, "This resolver has no link of type '" + linkType
                    + "' for this code; it offers linkType " + Linkset.offered());
        }
        return Response.temporaryRedirect(uri.getRequestUriBuilder().replaceQueryParam("linkType").build()).build();
    }

    private Response linkset(String anchor, UriInfo uri) {
        String href = uri.getRequestUriBuilder().replaceQuery(null).build().toString();
        try {
            return Response.ok(json.writeValueAsString(Linkset.of(anchor, href)), LINKSET)
                    .header(LINK, "<" + Linkset.CONTEXT + ">; rel=\"" + Linkset.CONTEXT_REL
                            + "\"; type=\"application/ld+json\"")
                    .header(HttpHeaders.VARY, HttpHeaders.ACCEPT).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A linkset of strings always writes as JSON", e);
        }
    }

    /** Where every answer's linkset is, as GS1-Conformant resolvers announce it. */
    private static String linksetLink(UriInfo uri) {
        return "<" + uri.getPath() + "?linkType=all>; rel=\"linkset\"; type=\"" + LINKSET + "\"";
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

    /** Hands the scan to the scan log, which writes it after the answer, with others. */
    private void record(String serial, String gtin, BigDecimal[] place, String country, Verdict verdict) {
        scans.record(new ScanRecord(serial, gtin, OffsetDateTime.now(ZoneOffset.UTC),
                place == null ? null : place[0], place == null ? null : place[1], country, verdict.json()));
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

    static double distanceKm(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.sin(dLat / 2) * Math.sin(dLat / 2) + Math.cos(Math.toRadians(lat1))
                * Math.cos(Math.toRadians(lat2)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(Math.min(1, a)));
    }
}
