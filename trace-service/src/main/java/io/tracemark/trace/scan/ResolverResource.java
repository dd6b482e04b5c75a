package io.tracemark.trace.scan;

import java.math.BigDecimal;
import java.math.RoundingMode;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tracemark.trace.code.CodeRegistry;
import io.tracemark.trace.gs1.Gs1Keys;
import io.tracemark.trace.problem.ProblemException;
import io.tracemark.trace.problem.ProblemType;
import io.tracemark.trace.tracing.TraceService;
import io.tracemark.trace.scan.Negotiation.Representation;

/**
 * The GS1 Digital Link path a code's QR opens: public, answering the consumer's view of the
 * item's trace as JSON, with a verdict on the code. Each scan is recorded with a coarse place and
 * the verdict ({@link ConsumerView}), nothing about the person who scanned. Browsers get the scan page,
 * GS1 clients the code's linkset.
 */
@Path("/01/{gtin}")
@Tag(name = "Digital Link resolver")
public class ResolverResource {

    private static final Pattern CSET82 = Pattern.compile("[!\"%&'()*+,\\-./0-9:;<=>?A-Z_a-z]{1,20}");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

    private static final String LINKSET = "application/linkset+json";
    private static final String LINK = "Link";

    private final TraceService service;
    private final ConsumerView consumers;
    private final CodeRegistry registry;
    private final ScanPages pages;
    private final ObjectMapper json;
    private final String countryHeader;

    public ResolverResource(TraceService service, ConsumerView consumers, CodeRegistry registry, ScanPages pages,
            ObjectMapper json,
            @ConfigProperty(name = "tracemark.tracing.country-header", defaultValue = "CF-IPCountry") String countryHeader) {
        this.service = service;
        this.consumers = consumers;
        this.registry = registry;
        this.pages = pages;
        this.json = json;
        this.countryHeader = countryHeader;
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
        // One transaction for the look-up and the item view's read (and the scan's record, when the scan
        // log is full and the request writes it itself): they share its one connection, so a burst of
        // scans can never hold every connection of the pool while each waits for a second one.
        ConsumerView.Looked looked = QuarkusTransaction.requiringNew()
                .call(() -> consumers.lookUp(gtin, request.lot(), request.serial(), place, country));
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

    /** The country a CDN in front says the scan came from, when it names one. */
    private static String country(String header) {
        if (header == null) {
            return null;
        }
        String code = header.strip().toUpperCase(Locale.ROOT);
        return COUNTRY.matcher(code).matches() && !"XX".equals(code) ? code : null;
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

}
