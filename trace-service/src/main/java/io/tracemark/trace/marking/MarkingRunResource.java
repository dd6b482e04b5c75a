package io.tracemark.trace.marking;

import java.net.URI;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
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

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.tracemark.trace.marking.MarkingRunService.RunView;
import io.tracemark.trace.paging.Page;
import io.tracemark.trace.paging.PageRequest;
import io.tracemark.trace.security.Roles;
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

    /** Mark {@code count} good items of the batch on the batch's line. */
    public record StartRequest(@NotNull Long batchId, @NotNull @Min(1) @Max(100_000_000) Long count) {
    }

    @POST
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Start a marking run",
            description = "Drives the marker of the batch's line until `count` items are marked good. Refused when "
                    + "the line has no marker configured or already has an active run.")
    public Response start(@NotNull @Valid StartRequest request) {
        RunView run = runs.start(request.batchId(), request.count(), identity.getPrincipal().getName());
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

    /** The run, if the caller may see it: a station key only sees its own line's runs. */
    private RunView readable(long id) {
        RunView run = runs.get(id);
        StationScope.requireLine(identity, run.lineId());
        return run;
    }
}
