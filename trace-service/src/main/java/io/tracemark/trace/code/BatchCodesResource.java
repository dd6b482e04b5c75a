package io.tracemark.trace.code;

import java.net.URI;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.security.identity.SecurityIdentity;
import io.tracemark.trace.input.Idempotency;
import io.tracemark.trace.batch.Batch;
import io.tracemark.trace.batch.BatchResource;
import io.tracemark.trace.paging.Page;
import io.tracemark.trace.paging.PageRequest;
import io.tracemark.trace.problem.StreamedBody;
import io.tracemark.trace.roles.Roles;
import io.tracemark.trace.security.StationScope;

@Path("/api/batches/{batchId}/codes")
@Tag(name = "Code registry")
public class BatchCodesResource {

    public static final String CSV = "text/csv";

    private final CodeAllocator allocator;
    private final CodeRegistry registry;
    private final SecurityIdentity identity;

    public BatchCodesResource(CodeAllocator allocator, CodeRegistry registry, SecurityIdentity identity) {
        this.allocator = allocator;
        this.registry = registry;
        this.identity = identity;
    }

    /**
     * {@code requestId} is optional: a client that may retry sends its own, and a retry then never
     * allocates a second time.
     */
    public record AllocationRequest(@NotNull @Min(1) Integer count,
            @Size(min = 1, max = 64) @Pattern(regexp = "[A-Za-z0-9._:-]+",
                    message = "may contain letters, digits, '.', '_', ':' and '-' only") String requestId) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.STATION })
    @Operation(summary = "Allocate codes", description = "Issues `count` new codes to the batch, all or none. "
            + "With a `requestId`, a retry with the same id and body answers with the first allocation (header "
            + "`Idempotent-Replayed: true`) and issues nothing; the same id with another body is refused (409).")
    @APIResponse(responseCode = "201", description = "Allocated, or the earlier allocation under this request id")
    @APIResponse(responseCode = "400", description = "count or requestId is missing or malformed; nothing allocated")
    @APIResponse(responseCode = "404", description = "No such batch")
    @APIResponse(responseCode = "409", description = "requestId was used before with another body; nothing allocated")
    public Response allocate(@PathParam("batchId") long batchId, @NotNull @Valid AllocationRequest request) {
        StationScope.requireLine(identity, lineOf(batchId));
        CodeAllocator.Outcome outcome = allocator.allocate(batchId, request.count(),
                identity.getPrincipal().getName(), request.requestId());
        return Response.created(URI.create("/api/batches/" + batchId + "/codes")).header(Idempotency.REPLAYED, outcome.replayed())
                .entity(outcome.allocation()).build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.STATION, Roles.REGULATOR })
    @Operation(summary = "List a batch's codes, page by page")
    public Page<CodeRegistry.CodeView> list(@PathParam("batchId") long batchId, @QueryParam("state") CodeState state, @Valid @BeanParam PageRequest paging) {
        Batch batch = BatchResource.find(batchId);
        StationScope.requireLine(identity, batch.line.id);
        return registry.page(batch, state, paging);
    }

    @GET
    // Clients that accept anything get JSON; CSV only when asked for.
    @Produces(CSV + ";qs=0.5")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.STATION, Roles.REGULATOR })
    @Operation(summary = "Stream all of a batch's codes as CSV", description = "Columns: serial, uri, gtin, lot, state.")
    public Response csv(@PathParam("batchId") long batchId, @QueryParam("state") CodeState state) {
        Batch batch = BatchResource.find(batchId);
        StationScope.requireLine(identity, batch.line.id);
        CodeRegistry.BatchLabel label = registry.label(batch);
        StreamingOutput body = StreamedBody.of("the code list CSV of batch " + batchId,
                out -> registry.writeCsv(label, state, out));
        return Response.ok(body, CSV + "; charset=UTF-8")
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"batch-" + batchId + "-codes.csv\"")
                .build();
    }

    private static long lineOf(long batchId) {
        return BatchResource.find(batchId).line.id;
    }
}
