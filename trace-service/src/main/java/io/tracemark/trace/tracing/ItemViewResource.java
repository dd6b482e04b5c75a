package io.tracemark.trace.tracing;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.tracemark.trace.roles.Roles;

/** The item view's administration: rebuilding it from the ledger, and how far a rebuild has got. */
@Path("/api/item-view/rebuild")
@Tag(name = "Item view")
@Produces(MediaType.APPLICATION_JSON)
public class ItemViewResource {

    private final ItemViewRebuild rebuild;

    public ItemViewResource(ItemViewRebuild rebuild) {
        this.rebuild = rebuild;
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "How far the last rebuild of the item view got", description = "state: none, running,"
            + " interrupted (stopped before the end: POST goes on from its cursor), failed (error says why), done.")
    @APIResponse(responseCode = "200", description = "The rebuild's progress")
    public ItemViewRebuild.Progress progress() {
        return rebuild.progress();
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Rebuild the item view from the ledger, in the background", description = "For upgrades and"
            + " after restoring a backup (docs/item-view.md). A rebuild that did not finish goes on from where it"
            + " stopped unless ?restart=true. Captures go on meanwhile; each waits at most for one chunk of 500 EPCs.")
    @APIResponse(responseCode = "202", description = "Started (or resumed); the body is its progress")
    @APIResponse(responseCode = "409", description = "A rebuild is already running on this instance")
    public Response start(@QueryParam("restart") boolean restart) {
        return Response.accepted(rebuild.start(restart)).build();
    }
}
