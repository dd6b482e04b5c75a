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
import io.tracemark.trace.scan.ScanPages;

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

    public ResolverResource(TraceService service, CodeRegistry registry, ScanPages pages, ObjectMapper json,
            @ConfigProperty(name = "tracemark.tracing.far-away-km", defaultValue = "300") double farAwayKm,
            @ConfigProperty(name = "tracemark.tracing.country-header", defaultValue = "CF-IPCountry") String countryHeader) {
        this.service = service;
        this.registry = registry;
        this.pages = pages;
        this.json = json;
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
    @Produces({ MediaType.APPLICATION_JSON, MediaType.TEXT_HTML, LINKSET })
    @Operation(summary = "Resolve a scanned code (GS1 Digital Link)", description = "Public. Browsers (Accept:"
            + " text/html) get the scan page in English or Chinese by Accept-Language; apps (Accept:"
            + " application/json) the item's trace as a consumer may see it and a verdict on the code: genuine,"
            + " never_issued, voided, recalled or sold_scanned_far_away. ?lat=&lon= (rounded to about 10 km before"
            + " they are stored) lets the service notice a code scanned far from where it was sold. ?linkType=all"
            + " answers the code's GS1 linkset; ?linkType=gs1:pip (or another offered type) redirects to that link.")
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
        if (looked.notIssued() != null) {
            if (html) {
                return page(Response.status(Response.Status.NOT_FOUND),
                        pages.neverIssued(gtin, request.serial(), language, uri.getPath()), uri);
            }
            throw looked.notIssued();
        }
        if (html) {
            return page(Response.ok(), pages.item(looked.answer(), looked.lineName(), language, uri.getPath()), uri);
        }
        return Response.ok(looked.answer()).header(HttpHeaders.VARY, HttpHeaders.ACCEPT).header(LINK, linksetLink(uri))
                .build();
    }

    /** What a scan found: the consumer's view and the line's name, or why the code is not one of ours. */
    private record Looked(ConsumerTrace answer, String lineName, ProblemException notIssued) {
    }

    private Looked lookUp(String gtin, Request request, BigDecimal[] place, String country) {
        TraceService.Item item;
        try {
            item = service.resolve(gtin, request.lot(), request.serial());
        } catch (ProblemException notIssued) {
            record(request.serial(), gtin, place, country, Verdict.NEVER_ISSUED);
            return new Looked(null, null, notIssued);
        }
        TraceService.ItemTrace trace = service.trace(item);
        Verdict verdict = verdict(trace, place);
        record(item.serial(), gtin, place, country, verdict);
        return new Looked(consumerView(item, trace, verdict), trace.origin().line().name(), null);
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
        return new ConsumerTrace(verdict, verdict.message(), item.serial(),
                new PublicProduct(item.gtin(), batch.product.name, batch.product.brand, batch.product.description,
                        batch.product.imageUrl),
                new PublicOrigin(PublicPlace.of(origin.site()), batch.lot, batch.productionDate, batch.expiryDate,
                        origin.commissionedAt()),
                trace.journey().stream().map(step -> new PublicStep(step.eventTime(), step.bizStep(),
                        step.disposition(), PublicPlace.of(step.bizLocation() != null ? step.bizLocation()
                                : step.readPoint())))
                        .toList(),
                trace.sold() == null ? null : new PublicSale(trace.sold().at(), PublicPlace.of(trace.sold().place())),
                trace.recalled());
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

    /** Records a scan in the caller's transaction. */
    private static void record(String serial, String gtin, BigDecimal[] place, String country, Verdict verdict) {
        Scan scan = new Scan();
        scan.serial = serial;
        scan.gtin = gtin;
        scan.scannedAt = OffsetDateTime.now(ZoneOffset.UTC);
        scan.latitude = place == null ? null : place[0];
        scan.longitude = place == null ? null : place[1];
        scan.country = country;
        scan.verdict = verdict.json();
        scan.persist();
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
