package io.tracemark.trace.console;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.panache.common.Sort;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.tracemark.trace.batch.BatchResource;
import io.tracemark.trace.epcis.LedgerChain;
import io.tracemark.trace.marking.MarkingRun;
import io.tracemark.trace.marking.MarkingRunService;
import io.tracemark.trace.marking.RunState;
import io.tracemark.trace.movement.MovementResource;
import io.tracemark.trace.movement.MovementService;
import io.tracemark.trace.security.Roles;
import io.tracemark.trace.site.Line;
import io.tracemark.trace.tracing.TraceResource;

/**
 * What the console's pages ask for while they are open, with the console's session cookie: the
 * ledger's chain check, a batch's counts and exports, a recall, and the live marking runs. Errors
 * are problem details, as everywhere in the API; a missing session is a 401, not a redirect.
 */
@Path("/console/api")
@Tag(name = "Console")
@Produces(MediaType.APPLICATION_JSON)
public class ConsoleApi {

    /** Why the batch is recalled: shown to everyone who traces its items afterwards. */
    public record RecallRequest(@NotBlank(message = "is required: say why the batch is recalled")
            @Size(max = 500) String reason) {
    }

    /** A live run as the line view lists it: which line, and the run as its event stream carries it. */
    public record LiveRunView(String site, String line, MarkingRunService.RunView run) {
    }

    private final ConsoleSearch search;
    private final BatchCounts counts;
    private final TraceResource traces;
    private final LedgerChain chain;
    private final MovementService movements;
    private final MarkingRunService runs;
    private final SecurityIdentity identity;

    public ConsoleApi(ConsoleSearch search, BatchCounts counts, TraceResource traces, LedgerChain chain,
            MovementService movements, MarkingRunService runs, SecurityIdentity identity) {
        this.search = search;
        this.counts = counts;
        this.traces = traces;
        this.chain = chain;
        this.movements = movements;
        this.runs = runs;
        this.identity = identity;
    }

    @GET
    @Path("search")
    @RolesAllowed({ Roles.ADMIN, Roles.REGULATOR })
    @Operation(summary = "Search by code, serial, batch id or lot, product GTIN or name, site GLN or name",
            description = "`kind` is any (default), code, batch, product or site.")
    public List<SearchHit> search(@QueryParam("q") String query, @QueryParam("kind") String kind) {
        return search.search(query, kind);
    }

    @GET
    @Path("ledger/verify")
    @RolesAllowed({ Roles.ADMIN, Roles.REGULATOR })
    @Operation(summary = "The ledger's hash chain, walked: intact, or where it breaks and why")
    public LedgerChain.Verification verify() {
        return chain.verify();
    }

    @GET
    @Path("items/evidence.jsonld")
    @RolesAllowed({ Roles.ADMIN, Roles.REGULATOR })
    @Operation(summary = "Every event that touched one item, as an EPCISDocument")
    public Response itemEvidence(@QueryParam("code") String code) {
        return traces.evidence(code);
    }

    @GET
    @Path("batches/{id}/counts")
    @RolesAllowed({ Roles.ADMIN, Roles.REGULATOR })
    @Operation(summary = "A batch's items counted by state and by last place, and its recall's progress")
    public BatchCounts.Counts counts(@PathParam("id") long id) {
        return counts.of(BatchResource.find(id));
    }

    @GET
    @Path("batches/{id}/items.csv")
    @Produces(TraceResource.CSV)
    @RolesAllowed({ Roles.ADMIN, Roles.REGULATOR })
    @Operation(summary = "Every item of the batch with its last place and state, streamed as CSV")
    public Response itemsCsv(@PathParam("id") long id) {
        return traces.batchItemsCsv(id);
    }

    @GET
    @Path("batches/{id}/evidence.jsonld")
    @RolesAllowed({ Roles.ADMIN, Roles.REGULATOR })
    @Operation(summary = "Every event of the batch's items as one EPCISDocument, streamed")
    public Response evidence(@PathParam("id") long id) {
        return traces.batchEvidence(id);
    }

    @POST
    @Path("batches/{id}/recall")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.ADMIN, Roles.REGULATOR })
    @Operation(summary = "Recall the batch, saying why", description = "The recall operation of /api/movements: one "
            + "event for the lot, disposition recalled, with the reason as tracemark:recallReason.")
    public Response recall(@PathParam("id") long id, @NotNull @Valid RecallRequest request) {
        BatchResource.find(id);
        MovementResource.MovementInput input = new MovementResource.MovementInput("console-recall-" + UUID.randomUUID(),
                null, null, null, null, null, null, id, null, request.reason());
        MovementService.MovementAnswer answer = movements.perform(MovementService.Operation.RECALL, input, identity)
                .answer();
        return Response.created(URI.create("/console/api/batches/" + id + "/counts")).entity(answer).build();
    }

    @GET
    @Path("marking-runs")
    @Transactional
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "The marking runs going on now, by site and line")
    public List<LiveRunView> liveRuns() {
        // Newest first: a run just started is the one an operator looks for.
        return MarkingRun.<MarkingRun>list("state in ?1", Sort.by("id").descending(), RunState.ACTIVE).stream().map(run -> {
            Line line = Line.findById(run.lineId);
            return new LiveRunView(line.site.name, line.name + " (" + line.code + ")", runs.get(run.id));
        }).toList();
    }

    @GET
    @Path("marking-runs/{id}/events")
    @Blocking
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "A run's status as server-sent events, as /api/marking-runs/{id}/events sends it")
    public Multi<OutboundSseEvent> runEvents(@PathParam("id") long id, @Context Sse sse) {
        runs.get(id);
        return runs.events(id).map(event -> sse.newEventBuilder().name(event.name())
                .mediaType(MediaType.APPLICATION_JSON_TYPE).data(MarkingRunService.RunView.class, event.run()).build());
    }
}
