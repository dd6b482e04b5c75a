package io.tracemark.trace.console;

import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.tracemark.trace.batch.BatchResource;
import io.tracemark.trace.epcis.LedgerChain;
import io.tracemark.trace.marking.MarkingRun;
import io.tracemark.trace.marking.MarkingRunService;
import io.tracemark.trace.marking.RunState;
import io.tracemark.trace.movement.MovementInput;
import io.tracemark.trace.movement.MovementService;
import io.tracemark.trace.roles.Roles;
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

    static final Duration LIVE_INTERVAL = Duration.ofSeconds(1);
    static final Duration ENDED_RUNS_SHOWN = Duration.ofMinutes(10);

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
        MovementInput input = new MovementInput("console-recall-" + UUID.randomUUID(),
                null, null, null, null, null, null, id, null, request.reason());
        MovementService.MovementAnswer answer = movements.perform(MovementService.Operation.RECALL, input, identity)
                .answer();
        return Response.created(URI.create("/console/api/batches/" + id + "/counts")).entity(answer).build();
    }

    @GET
    @Path("marking-runs")
    @Transactional
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "The marking runs going on now, by site and line, and those that ended in the last "
            + "10 minutes")
    public List<LiveRunView> liveRuns() {
        // Newest first: a run just started is the one an operator looks for. Runs that just ended
        // stay a while, so that the line view shows how they ended.
        OffsetDateTime recently = OffsetDateTime.now(ZoneOffset.UTC).minus(ENDED_RUNS_SHOWN);
        return MarkingRun.<MarkingRun>list("state in ?1 or finishedAt > ?2", Sort.by("id").descending(), RunState.ACTIVE,
                recently).stream().map(run -> {
                    Line line = Line.findById(run.lineId);
                    return new LiveRunView(line.site.name, line.name + " (" + line.code + ")", runs.get(run.id));
                }).toList();
    }

    /**
     * The line view's feed: every {@link #LIVE_INTERVAL}, the runs {@link #liveRuns} lists, each as its
     * own event stream carries it. One stream for the page however many lines mark: a browser opens
     * at most six connections to a server, and a stream per run would take them all.
     */
    @GET
    @Path("marking-runs/live")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Server-sent `runs` events, every second: the list GET /console/api/marking-runs answers")
    public Multi<OutboundSseEvent> liveRunStream(@Context Sse sse) {
        return Multi.createFrom().ticks().startingAfter(Duration.ofMillis(1)).every(LIVE_INTERVAL).onOverflow().drop()
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(tick -> QuarkusTransaction.requiringNew().call(this::liveRuns))
                .map(list -> sse.newEventBuilder().name("runs").mediaType(MediaType.APPLICATION_JSON_TYPE).data(list).build());
    }
}
