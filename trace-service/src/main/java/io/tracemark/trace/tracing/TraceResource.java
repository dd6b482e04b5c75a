package io.tracemark.trace.tracing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.security.identity.SecurityIdentity;
import io.tracemark.trace.access.Caller;
import io.tracemark.trace.access.CallerScope;
import io.tracemark.trace.batch.Batch;
import io.tracemark.trace.batch.BatchResource;
import io.tracemark.trace.problem.StreamedBody;
import io.tracemark.trace.roles.Roles;

/**
 * Tracing for the people who run and oversee the supply chain: one item forward and back, every
 * item of a batch, the contents of a case or pallet, and the evidence for one item as EPCIS.
 */
@Path("/api/trace")
@Tag(name = "Tracing")
public class TraceResource {

    public static final String CSV = "text/csv";
    static final String STANDARD_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

    private final TraceService service;
    private final BatchItems batchItems;
    private final Containers containers;
    private final Tracer tracer;
    private final BatchEvidence batchEvidence;
    private final SecurityIdentity identity;
    private final CallerScope scope;
    private final ObjectMapper json = new ObjectMapper();

    public TraceResource(TraceService service, BatchItems batchItems, Containers containers, Tracer tracer,
            BatchEvidence batchEvidence, SecurityIdentity identity, CallerScope scope) {
        this.scope = scope;
        this.batchEvidence = batchEvidence;
        this.service = service;
        this.batchItems = batchItems;
        this.containers = containers;
        this.tracer = tracer;
        this.identity = identity;
    }

    @GET
    @Path("{code: .+}")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.REGULATOR, Roles.PARTNER })
    @Operation(summary = "Trace one item", description = "The code is a Digital Link URI (percent-encoded), an"
            + " element string, an SGTIN EPC URN or a bare serial. Answers the item's origin, its journey (with the"
            + " events of the cases and pallets it travelled in), where it is now and where it was sold. Partners"
            + " see the item's story told from the events they may read (those of their sites and of the item"
            + " while in their custody); an item none of whose events they may read is answered 404, as an unknown"
            + " code is.")
    @APIResponse(responseCode = "200", description = "The item's trace")
    @APIResponse(responseCode = "400", description = "The code is not an item's code")
    @APIResponse(responseCode = "404", description = "No such code, or (for a partner) no event of the item it may read")
    public TraceService.ItemTrace trace(@PathParam("code") String code) {
        TraceService.Item item = service.resolve(code);
        Caller caller = scope.of(identity);
        if (caller.readsWholeLedger()) {
            return service.trace(item);
        }
        return service.trace(item, caller).orElseThrow(() -> TraceService.notIssued(item.serial()));
    }

    @GET
    @Path("{code: .+}/evidence")
    @Produces({ MediaType.APPLICATION_JSON, "application/ld+json" })
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.REGULATOR })
    @Operation(summary = "The evidence for one item, as an EPCISDocument", description = "Every event that touched"
            + " the item, directly or through the cases and pallets it travelled in, exactly as captured, in event"
            + " time order. The document can be captured by another EPCIS repository.")
    public Response evidence(@PathParam("code") String code) {
        TraceService.Item item = service.resolve(code);
        List<TracedEvent> events = service.events(item);
        ObjectNode document = json.createObjectNode();
        document.putArray("@context").add(STANDARD_CONTEXT);
        document.put("type", "EPCISDocument");
        document.put("schemaVersion", "2.0");
        document.put("creationDate", DateTimeFormatter.ISO_OFFSET_DATE_TIME
                .format(OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS)));
        ArrayNode list = document.putObject("epcisBody").putArray("eventList");
        for (TracedEvent event : events) {
            list.add(captured(event));
        }
        return Response.ok(document)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"evidence-" + item.serial() + ".jsonld\"")
                .build();
    }

    @GET
    @Path("batches/{batchId}/items")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.REGULATOR })
    @Operation(summary = "Every item of a batch with its last known place and state, streamed")
    public Response batchItems(@PathParam("batchId") long batchId) {
        BatchItems.Label label = batchItems.label(BatchResource.find(batchId));
        StreamingOutput body = StreamedBody.of("the items of batch " + batchId,
                out -> batchItems.writeJson(label, out));
        return Response.ok(body, MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("batches/{batchId}/items")
    // Clients that accept anything get JSON; CSV only when asked for.
    @Produces(CSV + ";qs=0.5")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.REGULATOR })
    @Operation(summary = "Every item of a batch with its last known place and state, streamed as CSV",
            description = "Columns: " + BatchItems.COLUMNS)
    public Response batchItemsCsv(@PathParam("batchId") long batchId) {
        Batch batch = BatchResource.find(batchId);
        BatchItems.Label label = batchItems.label(batch);
        StreamingOutput body = StreamedBody.of("the items CSV of batch " + batchId,
                out -> batchItems.writeCsv(label, out));
        return Response.ok(body, CSV + "; charset=UTF-8")
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"batch-" + batchId + "-items.csv\"")
                .build();
    }

    @GET
    @Path("batches/{batchId}/evidence")
    @Produces({ MediaType.APPLICATION_JSON, "application/ld+json" })
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.REGULATOR })
    @Operation(summary = "The evidence for a whole batch, as one EPCISDocument, streamed", description = "Every"
            + " event that touched any item of the batch (its own, its cases' and pallets', the lot's recalls), each"
            + " once and exactly as captured, item after item in code order.")
    public Response batchEvidence(@PathParam("batchId") long batchId) {
        BatchItems.Label label = batchItems.label(BatchResource.find(batchId));
        StreamingOutput body = StreamedBody.of("the evidence of batch " + batchId,
                out -> batchEvidence.write(label, this::captured, out));
        return Response.ok(body, MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"batch-" + batchId + "-evidence.jsonld\"")
                .build();
    }

    @GET
    @Path("containers/{sscc: .+}")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.REGULATOR })
    @Operation(summary = "Backward trace of a case or pallet", description = "The SSCC (18 digits, Digital Link"
            + " /00/{SSCC} or EPC URN) to everything ever packed into it, nested containers included, each item with"
            + " its batch; and the batches it held, with how many items of each.")
    public Containers.ContainerTrace container(@PathParam("sscc") String sscc) {
        return containers.trace(sscc);
    }

    /** An event as captured; its own context kept where it is not the standard one. */
    private ObjectNode captured(TracedEvent event) {
        ObjectNode captured = (ObjectNode) tracer.document(event);
        JsonNode context = event.context() == null ? null : read(event.context());
        if (context == null || isStandard(context)) {
            return captured;
        }
        // The event's own context keeps its extension prefixes meaning what they meant at capture.
        ObjectNode withContext = json.createObjectNode();
        withContext.set("@context", context);
        withContext.setAll(captured);
        return withContext;
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isStandard(JsonNode context) {
        if (context.isTextual()) {
            return STANDARD_CONTEXT.equals(context.asText());
        }
        return context.isArray() && context.size() == 1 && STANDARD_CONTEXT.equals(context.get(0).asText());
    }
}
