package io.tracemark.trace.movement;

import java.time.OffsetDateTime;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.persistence.PersistenceException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hibernate.exception.ConstraintViolationException;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.security.identity.SecurityIdentity;
import io.tracemark.trace.input.Idempotency;
import io.tracemark.trace.movement.MovementService.Outcome;
import io.tracemark.trace.roles.Roles;

/**
 * What stations and partners report about items after production, each operation one standard
 * EPCIS event in the ledger. Every request carries the client's own {@code requestId}: sent again,
 * it answers as the first time and stores nothing; sent again with another body, it is refused.
 */
@Path("/api/movements")
@Tag(name = "Movements")
public class MovementResource {

    private final MovementService movements;
    private final SecurityIdentity identity;

    public MovementResource(MovementService movements, SecurityIdentity identity) {
        this.movements = movements;
        this.identity = identity;
    }

    @POST
    @Path("pack")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.STATION, Roles.PARTNER })
    @Operation(summary = "Pack items or cases into a case or pallet (SSCC): AggregationEvent ADD, bizStep packing")
    public Response pack(@NotNull @Valid MovementInput input) {
        return perform(MovementService.Operation.PACK, input);
    }

    @POST
    @Path("unpack")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.STATION, Roles.PARTNER })
    @Operation(summary = "Take items out of a case or pallet (all of them when epcs is left out): AggregationEvent DELETE, bizStep unpacking")
    public Response unpack(@NotNull @Valid MovementInput input) {
        return perform(MovementService.Operation.UNPACK, input);
    }

    @POST
    @Path("ship")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.STATION, Roles.PARTNER })
    @Operation(summary = "Ship items, cases or pallets from one site to another: ObjectEvent OBSERVE, bizStep shipping, disposition in_transit")
    public Response ship(@NotNull @Valid MovementInput input) {
        return perform(MovementService.Operation.SHIP, input);
    }

    @POST
    @Path("receive")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.STATION, Roles.PARTNER })
    @Operation(summary = "Receive items, cases or pallets at a site: ObjectEvent OBSERVE, bizStep receiving, disposition in_progress")
    public Response receive(@NotNull @Valid MovementInput input) {
        return perform(MovementService.Operation.RECEIVE, input);
    }

    @POST
    @Path("sell")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.PARTNER })
    @Operation(summary = "Sell items to consumers: ObjectEvent OBSERVE, bizStep retail_selling, disposition retail_sold, the receipt as business transaction")
    public Response sell(@NotNull @Valid MovementInput input) {
        return perform(MovementService.Operation.SELL, input);
    }

    @POST
    @Path("recall")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.REGULATOR })
    @Operation(summary = "Recall a batch: one ObjectEvent OBSERVE for its lot (quantityList epcClass), disposition recalled")
    public Response recall(@NotNull @Valid MovementInput input) {
        return perform(MovementService.Operation.RECALL, input);
    }

    @POST
    @Path("decommission")
    // Ending an item's code is the brand owner's act (see access.CallerScope), wherever the item is.
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Take items out of use: ObjectEvent DELETE, bizStep decommissioning, disposition inactive")
    public Response decommission(@NotNull @Valid MovementInput input) {
        return perform(MovementService.Operation.DECOMMISSION, input);
    }

    @POST
    @Path("destroy")
    // Ending an item's code is the brand owner's act (see access.CallerScope), wherever the item is.
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Record that items were destroyed: ObjectEvent DELETE, bizStep destroying, disposition destroyed")
    public Response destroy(@NotNull @Valid MovementInput input) {
        return perform(MovementService.Operation.DESTROY, input);
    }

    /**
     * Two requests with the same id at the same moment: the second waits on the first one's record
     * of the id and fails to write its own once the first commits; asked once more, it finds that
     * record and answers with it.
     */
    private Response perform(MovementService.Operation operation, MovementInput input) {
        try {
            return answer(movements.perform(operation, input, identity));
        } catch (PersistenceException e) {
            if (!(e instanceof ConstraintViolationException) && !(e.getCause() instanceof ConstraintViolationException)) {
                throw e;
            }
            return answer(movements.perform(operation, input, identity));
        }
    }

    private static Response answer(Outcome outcome) {
        return Response.status(201).header(Idempotency.REPLAYED, outcome.replayed()).entity(outcome.answer()).build();
    }
}
