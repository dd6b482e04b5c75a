package io.tracemark.trace.code;

import java.net.URI;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.security.identity.SecurityIdentity;
import io.tracemark.trace.batch.Batch;
import io.tracemark.trace.batch.BatchResource;
import io.tracemark.trace.paging.Page;
import io.tracemark.trace.paging.PageRequest;
import io.tracemark.trace.security.Roles;
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

    public record AllocationRequest(@NotNull @Min(1) Integer count) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.STATION })
    @Operation(summary = "Allocate codes", description = "Issues `count` new codes to the batch, all or none.")
    public Response allocate(@PathParam("batchId") long batchId, @NotNull @Valid AllocationRequest request) {
        StationScope.requireLine(identity, lineOf(batchId));
        CodeAllocator.Allocation allocation = allocator.allocate(batchId, request.count(),
                identity.getPrincipal().getName());
        return Response.created(URI.create("/api/batches/" + batchId + "/codes")).entity(allocation).build();
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
        StreamingOutput body = out -> registry.writeCsv(label, state, out);
        return Response.ok(body, CSV + "; charset=UTF-8")
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"batch-" + batchId + "-codes.csv\"")
                .build();
    }

    private static long lineOf(long batchId) {
        return BatchResource.find(batchId).line.id;
    }
}
