package io.tracemark.trace.marking;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.tracemark.trace.marking.MarkingRunService.RunView;
import io.tracemark.trace.paging.Page;
import io.tracemark.trace.paging.PageRequest;
import io.tracemark.trace.problem.Problem;
import io.tracemark.trace.problem.ProblemException;
import io.tracemark.trace.problem.ProblemType;
import io.tracemark.trace.code.CodeState;
import io.tracemark.marker.pipeline.StationState;
import io.tracemark.marker.verify.Grade;
import io.tracemark.trace.roles.Roles;
import io.tracemark.trace.security.StationScope;

@Path("/api/marking-runs")
@Tag(name = "Marking")
public class MarkingRunResource {

    private final MarkingRunService runs;
    private final SecurityIdentity identity;

    public MarkingRunResource(MarkingRunService runs, SecurityIdentity identity) {
        this.runs = runs;
        this.identity = identity;
    }

    /**
     * Mark {@code count} good items of the batch on the batch's line; {@code driver} says who drives
     * the marker: the service (default) or the line's station agent.
     */
    public record StartRequest(@NotNull Long batchId, @NotNull @Min(1) @Max(100_000_000) Long count,
            @Pattern(regexp = "(?i)service|agent", message = "must be service or agent") String driver) {

        RunDriver driverOrDefault() {
            return driver == null ? RunDriver.SERVICE : RunDriver.valueOf(driver.toUpperCase(java.util.Locale.ROOT));
        }
    }

    @POST
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Start a marking run",
            description = "Drives the marker of the batch's line until `count` items are marked good. Refused when "
                    + "the line has no marker configured or already has an active run.")
    public Response start(@NotNull @Valid StartRequest request) {
        RunView run = runs.start(request.batchId(), request.count(),
                request.driverOrDefault(), identity.getPrincipal().getName());
        return Response.created(URI.create("/api/marking-runs/" + run.id())).entity(run).build();
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.STATION, Roles.REGULATOR })
    @Operation(summary = "List marking runs, newest first", description = "A station key sees its own line's runs.")
    public Page<RunView> list(@QueryParam("lineId") Long lineId, @QueryParam("state") RunState state,
            @Valid @BeanParam PageRequest paging) {
        Long line = lineId;
        if (identity.hasRole(Roles.STATION) && line == null) {
            line = (Long) identity.getAttribute(StationScope.LINE_ID);
        }
        if (line != null) {
            StationScope.requireLine(identity, line);
        }
        return runs.page(line, state, paging);
    }

    @GET
    @Path("{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.STATION, Roles.REGULATOR })
    @Operation(summary = "A marking run's status")
    public RunView get(@PathParam("id") long id) {
        return readable(id);
    }

    @POST
    @Path("{id}/pause")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.STATION })
    @Operation(summary = "Pause a running run", description = "No new code goes to the marker; those it holds are "
            + "still marked and settled.")
    public RunView pause(@PathParam("id") long id) {
        readable(id);
        return runs.pause(id);
    }

    @POST
    @Path("{id}/resume")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Resume a paused run")
    public RunView resume(@PathParam("id") long id) {
        return runs.resume(id);
    }

    @POST
    @Path("{id}/stop")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.STATION })
    @Operation(summary = "Stop a run for good", description = "Clears the marker's queue and voids every code still "
            + "in flight; the run ends STOPPED.")
    public RunView stop(@PathParam("id") long id) {
        readable(id);
        return runs.stop(id);
    }

    @GET
    @Path("{id}/events")
    @Blocking
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.STATION, Roles.REGULATOR })
    @Operation(summary = "Follow a run's status as server-sent events",
            description = "`status` events carry the run as GET returns it, at each change; `heartbeat` events repeat "
                    + "it when nothing changed. The stream ends after the run's final status.")
    public Multi<OutboundSseEvent> events(@PathParam("id") long id, @Context Sse sse) {
        readable(id);
        return runs.events(id).map(event -> sse.newEventBuilder().name(event.name())
                .mediaType(MediaType.APPLICATION_JSON_TYPE).data(RunView.class, event.run()).build());
    }

    // --- The station agent's side -----------------------------------------------------------

    public record ClaimRequest(@NotBlank @Size(max = 64) String requestId, @NotNull @Min(0) @Max(10_000) Integer count) {
    }

    /** A code to etch: {@code id} is its serial, {@code content} the text the marker writes. */
    public record CodeToMark(String id, String content) {
    }

    public record ClaimAnswer(String requestId, List<CodeToMark> codes) {
    }

    @POST
    @Path("{id}/claims")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.STATION })
    @Operation(summary = "Claim codes for a station agent's run",
            description = "Moves up to `count` of the batch's fresh codes to SENT for this run and returns them, in "
                    + "counter order. The same `requestId` always answers with the same codes, so an agent that "
                    + "lost the answer asks again without taking new ones. An empty list: the run takes no more.")
    public ClaimAnswer claim(@PathParam("id") long id, @NotNull @Valid ClaimRequest request) {
        readable(id);
        List<CodeToMark> codes = runs.agentClaim(id, request.requestId(), request.count()).stream()
                .map(order -> new CodeToMark(order.id(), order.content())).toList();
        return new ClaimAnswer(request.requestId(), codes);
    }

    /** One step of one code: MARKED, VERIFIED (with its grade) or VOIDED (with the reason). */
    public record StepReport(@NotBlank @Size(max = 32) String id,
            @NotNull @Pattern(regexp = "MARKED|VERIFIED|VOIDED", message = "must be MARKED, VERIFIED or VOIDED") String state,
            @Pattern(regexp = "[A-F]", message = "must be a grade from A to F") String grade,
            @Size(max = 2000) String reason, String at) {
    }

    public record ResultsRequest(@NotNull @Size(max = 5_000) List<@NotNull @Valid StepReport> results) {
    }

    public record ResultsAnswer(int applied) {
    }

    @POST
    @Path("{id}/results")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.STATION })
    @Operation(summary = "Report what a station agent did to its codes",
            description = "Applies the steps in order, all or none. A step the registry already holds is a no-op, so "
                    + "a report delivered twice counts once; a step the code's lifecycle forbids refuses the whole "
                    + "report with 409 and names it.")
    public ResultsAnswer results(@PathParam("id") long id, @NotNull @Valid ResultsRequest request) {
        readable(id);
        List<RegistryMarkingPort.Step> steps = new java.util.ArrayList<>();
        for (int i = 0; i < request.results().size(); i++) {
            StepReport step = request.results().get(i);
            if (step.state().equals("VERIFIED") && step.grade() == null) {
                throw ProblemException.invalid("results[" + i + "].grade", "a VERIFIED step carries its grade");
            }
            steps.add(new RegistryMarkingPort.Step(step.id(), CodeState.valueOf(step.state()),
                    step.grade() == null ? null : Grade.valueOf(step.grade()), step.reason()));
        }
        try {
            runs.agentResults(id, steps);
        } catch (RegistryMarkingPort.StepRefused e) {
            String field = "results[" + e.index() + "]";
            throw new ProblemException(ProblemType.CONFLICT, field + ": " + e.getMessage() + "; nothing was applied",
                    List.of(new Problem.Violation(field, e.getMessage())));
        }
        return new ResultsAnswer(steps.size());
    }

    @PUT
    @Path("{id}/station-status")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.STATION })
    @Operation(summary = "A station agent's live status of its run",
            description = "The agent's pipeline figures; when its state has ended (FINISHED or FAILED), the run ends.")
    public RunView stationStatus(@PathParam("id") long id, @NotNull @Valid AgentStatus status) {
        readable(id);
        return runs.agentStatus(id, status.toPipelineStatus());
    }

    /** The figures of a station agent's pipeline, as it reports them. */
    public record AgentStatus(@NotNull StationState state, @Min(0) long sent, @Min(0) long marked,
            @Min(0) long verified, @Min(0) long voided, @Min(0) long released, @Min(0) int markerQueue,
            @Min(0) double itemsPerSecond, @Size(max = 50) List<@Size(max = 500) String> alarms, Instant at) {

        io.tracemark.marker.pipeline.PipelineStatus toPipelineStatus() {
            return new io.tracemark.marker.pipeline.PipelineStatus(state, sent, marked, verified, voided, released,
                    markerQueue, itemsPerSecond, alarms == null ? List.of() : alarms, at == null ? Instant.now() : at);
        }
    }

    /** The run, if the caller may see it: a station key only sees its own line's runs. */
    private RunView readable(long id) {
        RunView run = runs.get(id);
        StationScope.requireLine(identity, run.lineId());
        return run;
    }
}
