package io.tracemark.trace.epcis;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.tracemark.trace.access.Caller;
import io.tracemark.trace.access.CallerScope;
import io.tracemark.trace.access.Visibility;
import io.tracemark.trace.config.TracemarkConfig;
import io.tracemark.trace.gs1.CompanyPrefixes;
import io.tracemark.trace.gs1.EpcIdentifier;
import io.tracemark.trace.problem.Problem;
import io.tracemark.trace.problem.ProblemException;
import io.tracemark.trace.problem.ProblemType;
import io.tracemark.trace.roles.Roles;

/**
 * The EPCIS 2.0 REST binding: capture and query of events, as GS1 specifies them, so that EPCIS
 * tools can talk to Tracemark. What a caller may capture and read is decided by {@link CallerScope}:
 * partners and stations capture at their own sites and read the events of their sites and of the
 * items in their custody; a hidden event is answered as an unknown one.
 */
@Path("/epcis")
@Tag(name = "EPCIS 2.0")
public class EpcisResource {

    static final String LD_JSON = "application/ld+json";
    static final String CAPTURE_LIMIT = "GS1-EPCIS-Capture-Limit";
    static final String FILE_SIZE_LIMIT = "GS1-EPCIS-Capture-File-Size-Limit";
    static final String ERROR_BEHAVIOUR = "GS1-Capture-Error-Behaviour";
    private static final Set<String> PAGING = Set.of("perPage", "nextPageToken");

    @Inject
    EpcisCapture capture;

    @Inject
    EventSearch search;

    @Inject
    EpcisSchema schema;

    @Inject
    LedgerChain chain;

    @Inject
    ViewCheck views;

    @Inject
    SecurityIdentity identity;

    @Inject
    CallerScope callers;

    @Inject
    TracemarkConfig config;

    @Context
    UriInfo uri;

    @OPTIONS
    @Path("capture")
    @Authenticated
    @Operation(summary = "What the capture interface accepts: limits, error behaviours, versions")
    public Response captureOptions() {
        return limits(Response.noContent()).header(HttpHeaders.ALLOW, "OPTIONS, POST")
                .header(ERROR_BEHAVIOUR, "rollback, proceed").header(EpcFormat.HEADER, "No_Preference").build();
    }

    @POST
    @Path("capture")
    @Consumes({ "application/json", LD_JSON })
    @Produces("application/json")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.STATION, Roles.PARTNER })
    @Operation(summary = "Capture an EPCISDocument (or EPCISQueryDocument); answers with the finished capture job")
    @APIResponse(responseCode = "202", description = "The finished capture job; under proceed it lists the events not stored")
    @APIResponse(responseCode = "400", description = "Under rollback: an invalid event; nothing was stored")
    @APIResponse(responseCode = "403", description = "Under rollback: an event outside what the caller may capture"
            + " (docs/security.md), each refused field named; nothing was stored")
    @APIResponse(responseCode = "413", description = "More events or bytes than the capture limits")
    public Response capture(InputStream body, @HeaderParam(ERROR_BEHAVIOUR) String behaviourHeader) throws IOException {
        EpcisCapture.ErrorBehaviour behaviour = behaviour(behaviourHeader);
        byte[] bytes = readLimited(body);
        if (bytes == null) {
            return tooLarge("The document is larger than " + config.epcis().captureFileSizeLimit()
                    + " bytes: split it into several captures");
        }
        JsonNode document = EpcisCapture.parse(bytes);
        var events = EpcisCapture.eventList(document, EpcisCapture.eventListPath(document));
        if (events != null && events.size() > config.epcis().captureLimit()) {
            return tooLarge("The document carries " + events.size() + " events, more than " + config.epcis().captureLimit()
                    + ": split it into several captures");
        }
        CaptureJob job = capture.capture(document, behaviour, caller());
        return limits(Response.accepted(job(job))).location(URI.create("/epcis/capture/" + job.id)).build();
    }

    @GET
    @Path("capture/{captureID}")
    @Produces("application/json")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.REGULATOR, Roles.STATION, Roles.PARTNER })
    @Operation(summary = "A capture job: whether it succeeded, and the problems of the events it did not store")
    public ObjectNode captureJob(@PathParam("captureID") String captureId) {
        Caller caller = caller();
        return CaptureJob.<CaptureJob>findByIdOptional(captureId)
                .filter(job -> callers.readsCapturesOf(caller, job.capturedBy))
                .map(EpcisResource::job)
                .orElseThrow(() -> ProblemException.notFound("Capture job", captureId));
    }

    @OPTIONS
    @Path("events")
    @Authenticated
    public Response eventsOptions() {
        return limits(Response.noContent()).header(HttpHeaders.ALLOW, "OPTIONS, GET, POST")
                .header(EpcFormat.HEADER, "No_Preference").build();
    }

    @POST
    @Path("events")
    @Consumes({ "application/json", LD_JSON })
    @Produces("application/json")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.STATION, Roles.PARTNER })
    @Operation(summary = "Capture one event, synchronously")
    @APIResponse(responseCode = "201", description = "Stored; Location names the event")
    @APIResponse(responseCode = "400", description = "The event is invalid")
    @APIResponse(responseCode = "403", description = "The event is outside what the caller may capture, each refused"
            + " field named (docs/security.md)")
    @APIResponse(responseCode = "409", description = "An event with this eventID was captured before")
    public Response captureEvent(InputStream body) throws IOException {
        byte[] bytes = readLimited(body);
        if (bytes == null) {
            return tooLarge("The event is larger than " + config.epcis().captureFileSizeLimit() + " bytes");
        }
        LedgerEvent event = capture.captureEvent(EpcisCapture.parse(bytes), caller());
        return limits(Response.created(URI.create("/epcis/events/" + pathSegment(event.eventId))))
                .entity(QueryDocuments.read(event.document)).build();
    }

    @GET
    @Path("events")
    @Produces({ "application/json", LD_JSON })
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.REGULATOR, Roles.STATION, Roles.PARTNER })
    @Operation(summary = "Query events with the EPCIS query parameters (MATCH_epc, EQ_bizStep, GE_eventTime, ...)")
    public Response events(@HeaderParam(EpcFormat.HEADER) String format) {
        return page("events", queryParameters(), format);
    }

    @GET
    @Path("events/{eventID: .+}")
    @Produces({ "application/json", LD_JSON })
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.REGULATOR, Roles.STATION, Roles.PARTNER })
    @Operation(summary = "One event by its eventID (percent-encoded), in an EPCISQueryDocument")
    @APIResponse(responseCode = "200", description = "The event")
    @APIResponse(responseCode = "404", description = "No such event, or one the caller may not read")
    public Response event(@PathParam("eventID") String eventId, @HeaderParam(EpcFormat.HEADER) String format) {
        EpcFormat epcFormat = EpcFormat.of(format);
        LedgerEvent event = search.byEventId(eventId, scope());
        return Response.ok(QueryDocuments.queryDocument(List.of(event), epcFormat, prefixes())).build();
    }

    @GET
    @Path("epcs/{epc: .+}/events")
    @Produces({ "application/json", LD_JSON })
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.REGULATOR, Roles.STATION, Roles.PARTNER })
    @Operation(summary = "Events naming one EPC in any role (epcList, parentID, childEPCs, inputs, outputs)")
    public Response epcEvents(@PathParam("epc") String epc, @HeaderParam(EpcFormat.HEADER) String format) {
        try {
            EpcIdentifier.parse(epc);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("epc", e.getMessage());
        }
        SortedMap<String, String> parameters = queryParameters();
        if (parameters.containsKey("MATCH_anyEPC")) {
            throw ProblemException.invalid("MATCH_anyEPC", "is given by the path of this resource");
        }
        // A next page is asked for with the token alone, which already holds this EPC's match; the
        // token is bound to this EPC's path, so it cannot be turned onto another one.
        if (!parameters.isEmpty() || !uri.getQueryParameters().containsKey("nextPageToken")) {
            parameters.put("MATCH_anyEPC", epc);
        }
        return page("epcs/" + epc + "/events", parameters, format);
    }

    @GET
    @Path("eventTypes")
    @Produces({ "application/json", LD_JSON })
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.REGULATOR, Roles.STATION, Roles.PARTNER })
    @Operation(summary = "The five standard event types and any extension type in the ledger")
    public ObjectNode eventTypes() {
        Set<String> types = new LinkedHashSet<>(List.of(EpcisFields.STANDARD_TYPES));
        types.addAll(search.distinct("event_type", scope()));
        return QueryDocuments.collection(new ArrayList<>(types));
    }

    @GET
    @Path("bizSteps")
    @Produces({ "application/json", LD_JSON })
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.REGULATOR, Roles.STATION, Roles.PARTNER })
    @Operation(summary = "The CBV business steps and any other business step in the ledger")
    public ObjectNode bizSteps() {
        Set<String> steps = new LinkedHashSet<>(schema.standardBizSteps());
        steps.addAll(search.distinct("biz_step", scope()));
        return QueryDocuments.collection(new ArrayList<>(steps));
    }

    @GET
    @Path("ledger/verify")
    @Produces("application/json")
    @RolesAllowed({ Roles.ADMIN, Roles.REGULATOR })
    @Operation(summary = "Walk the ledger's hash chain: every event hash and chain value recomputed from what is stored; "
            + "intact, or the first event where it breaks and why", description = "With ?views=all (or ?views=sample"
            + "&sample=N, 1,000 by default) it also compares the item view (docs/item-view.md) with the full trace of the"
            + " ledger for every EPC it names, or for a random sample of them, and lists the first differences.")
    @APIResponse(responseCode = "200", description = "The check's answer, intact or not")
    @APIResponse(responseCode = "400", description = "views is neither all nor sample, or sample is not 1 to 1,000,000")
    public ObjectNode verifyLedger(@QueryParam("views") String viewsParameter, @QueryParam("sample") Integer sample) {
        int compared = viewSample(viewsParameter, sample);
        LedgerChain.Verification result = chain.verify();
        ObjectNode answer = EpcisJson.MAPPER.createObjectNode();
        answer.put("intact", result.intact());
        if (result.intact()) {
            answer.put("events", result.events());
            answer.put("head", result.head());
        } else {
            answer.put("eventsChecked", result.events());
            answer.put("firstBrokenEventId", result.firstBrokenEventId());
            if (result.firstBrokenPosition() != null) {
                answer.put("firstBrokenPosition", result.firstBrokenPosition());
            }
            answer.put("reason", result.reason());
        }
        if (compared >= 0) {
            answer.set("views", EpcisJson.MAPPER.valueToTree(views.compare(compared)));
        }
        return answer;
    }

    /** How many EPCs ?views= asks to compare: 0 for all, -1 for none. */
    private static int viewSample(String viewsParameter, Integer sample) {
        if (viewsParameter == null) {
            if (sample != null) {
                throw ProblemException.invalid("sample", "is only read with views=sample");
            }
            return -1;
        }
        switch (viewsParameter) {
            case "all":
                if (sample != null) {
                    throw ProblemException.invalid("sample", "is only read with views=sample");
                }
                return 0;
            case "sample":
                if (sample != null && (sample < 1 || sample > 1_000_000)) {
                    throw ProblemException.invalid("sample", "must be 1 to 1,000,000");
                }
                return sample == null ? 1_000 : sample;
            default:
                throw ProblemException.invalid("views", "'" + viewsParameter + "' is neither all nor sample");
        }
    }

    @GET
    @Path("ledger/events/{eventID: .+}")
    @Produces("application/json")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.REGULATOR, Roles.STATION, Roles.PARTNER })
    @Operation(summary = "One event's place in the ledger (eventID percent-encoded): its event hash and its link in the hash chain")
    public ObjectNode ledgerEntry(@PathParam("eventID") String eventId) {
        LedgerEvent event = search.byEventId(eventId, scope());
        ObjectNode entry = EpcisJson.MAPPER.createObjectNode();
        entry.put("eventID", event.eventId);
        entry.put("eventHash", event.eventHash);
        entry.put("chainPosition", event.chainPosition);
        entry.put("previousHash", event.previousHash);
        entry.put("chainHash", event.chainHash);
        entry.put("recordTime", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(event.recordTime));
        return entry;
    }

    private Response page(String resource, SortedMap<String, String> parameters, String format) {
        EpcFormat epcFormat = EpcFormat.of(format);
        String token = uri.getQueryParameters().getFirst("nextPageToken");
        EventSearch.Page page = search.search(resource, parameters, token, perPage(), scope());
        Response.ResponseBuilder answer = Response.ok(QueryDocuments.queryDocument(page.events(), epcFormat, prefixes()));
        if (page.nextPageToken() != null) {
            URI next = uri.getRequestUriBuilder().replaceQuery(null)
                    .queryParam("perPage", "{perPage}").queryParam("nextPageToken", "{token}")
                    .build(page.events().size(), page.nextPageToken());
            answer.header("Link", "<" + next + ">; rel=\"next\"")
                    .header("GS1-Next-Page-Token-Expires", DateTimeFormatter.ISO_INSTANT.format(page.tokenExpires()));
        }
        return answer.build();
    }

    private SortedMap<String, String> queryParameters() {
        MultivaluedMap<String, String> given = uri.getQueryParameters();
        Map<String, List<String>> filters = new java.util.TreeMap<>();
        given.forEach((name, values) -> {
            if (!PAGING.contains(name)) {
                filters.put(name, values);
            }
        });
        return EventQuery.single(filters);
    }

    private Integer perPage() {
        String perPage = uri.getQueryParameters().getFirst("perPage");
        if (perPage == null) {
            return null;
        }
        try {
            return Integer.valueOf(perPage);
        } catch (NumberFormatException e) {
            throw ProblemException.invalid("perPage", "'" + perPage + "' is not a whole number");
        }
    }

    private static EpcisCapture.ErrorBehaviour behaviour(String header) {
        if (header == null || header.isBlank() || header.strip().equalsIgnoreCase("rollback")) {
            return EpcisCapture.ErrorBehaviour.ROLLBACK;
        }
        if (header.strip().equalsIgnoreCase("proceed")) {
            return EpcisCapture.ErrorBehaviour.PROCEED;
        }
        throw ProblemException.invalid(ERROR_BEHAVIOUR, "'" + header + "' is not rollback or proceed");
    }

    /** The body, or null when it is over the capture file size limit. */
    private byte[] readLimited(InputStream body) throws IOException {
        int limit = config.epcis().captureFileSizeLimit();
        byte[] bytes = body.readNBytes(limit + 1);
        return bytes.length > limit ? null : bytes;
    }

    private Response tooLarge(String detail) {
        Problem problem = new Problem(ProblemType.PAYLOAD_TOO_LARGE.uri(), ProblemType.PAYLOAD_TOO_LARGE.title(), 413,
                detail, uri.getRequestUri().getRawPath(), List.of());
        return limits(Response.status(413)).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private Response.ResponseBuilder limits(Response.ResponseBuilder response) {
        return response.header(CAPTURE_LIMIT, config.epcis().captureLimit())
                .header(FILE_SIZE_LIMIT, config.epcis().captureFileSizeLimit());
    }

    private Caller caller() {
        return callers.of(identity);
    }

    /** What the caller may read of the ledger. */
    private Visibility scope() {
        return callers.visibility(caller());
    }

    private CompanyPrefixes prefixes() {
        return new CompanyPrefixes(config.epcis().companyPrefixes().orElse(List.of()),
                config.epcis().defaultCompanyPrefixLength());
    }

    static ObjectNode job(CaptureJob job) {
        ObjectNode view = EpcisJson.MAPPER.createObjectNode();
        view.put("captureID", job.id);
        view.put("createdAt", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(job.createdAt));
        view.put("finishedAt", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(job.finishedAt));
        view.put("running", false);
        view.put("success", job.success);
        view.put("captureErrorBehaviour", job.captureErrorBehaviour);
        view.set("errors", QueryDocuments.read(job.errors == null ? "[]" : job.errors));
        view.put("eventCount", job.eventCount);
        view.put("storedCount", job.storedCount);
        return view;
    }

    static String pathSegment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
