package io.tracemark.trace.batch;

import java.net.URI;
import java.time.LocalDate;
import java.time.OffsetDateTime;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.panache.common.Sort;
import io.quarkus.security.Authenticated;
import io.tracemark.trace.paging.Page;
import io.tracemark.trace.paging.PageRequest;
import io.tracemark.trace.problem.ProblemException;
import io.tracemark.trace.product.Product;
import io.tracemark.trace.roles.Roles;
import io.tracemark.trace.site.Line;

@Path("/api/batches")
@Tag(name = "Master data")
@Authenticated
public class BatchResource {

    /** Lots are printed into Digital Link paths, so they keep to characters that need no escaping. */
    public static final String LOT_PATTERN = "[0-9A-Za-z._-]{1,20}";

    public record BatchInput(@NotNull Long productId,
            @NotNull @Pattern(regexp = LOT_PATTERN, message = "must be 1 to 20 letters, digits, '.', '_' or '-'") String lot,
            @NotNull LocalDate productionDate, LocalDate expiryDate, @NotNull Long lineId,
            @NotNull @Min(1) @Max(100_000_000) Integer plannedQuantity) {
    }

    public record BatchView(long id, long productId, String gtin, String lot, LocalDate productionDate,
            LocalDate expiryDate, long lineId, int plannedQuantity, long codesAllocated, OffsetDateTime createdAt) {

        public static BatchView of(Batch b) {
            return new BatchView(b.id, b.product.id, b.product.gtin, b.lot, b.productionDate, b.expiryDate, b.line.id,
                    b.plannedQuantity, b.codesAllocated, b.createdAt);
        }
    }

    @GET
    public Page<BatchView> list(@QueryParam("productId") Long productId, @QueryParam("lineId") Long lineId, @Valid @BeanParam PageRequest paging) {
        var query = Batch.<Batch>find("(?1 is null or product.id = ?1) and (?2 is null or line.id = ?2)",
                Sort.by("id"), productId, lineId);
        return Page.of(query, paging, BatchView::of);
    }

    @GET
    @Path("{id}")
    public BatchView get(@PathParam("id") long id) {
        return BatchView.of(find(id));
    }

    @POST
    @Transactional
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    public Response create(@NotNull @Valid BatchInput input) {
        Product product = Product.<Product>findByIdOptional(input.productId())
                .orElseThrow(() -> ProblemException.invalid("productId", "product " + input.productId() + " does not exist"));
        Line line = Line.<Line>findByIdOptional(input.lineId())
                .orElseThrow(() -> ProblemException.invalid("lineId", "line " + input.lineId() + " does not exist"));
        if (input.expiryDate() != null && input.expiryDate().isBefore(input.productionDate())) {
            throw ProblemException.invalid("expiryDate", "must not be before productionDate " + input.productionDate());
        }
        if (Batch.count("product = ?1 and lot = ?2", product, input.lot()) > 0) {
            throw ProblemException.conflict("Product " + product.gtin + " already has a lot " + input.lot());
        }
        Batch batch = new Batch();
        batch.product = product;
        batch.lot = input.lot();
        batch.productionDate = input.productionDate();
        batch.expiryDate = input.expiryDate();
        batch.line = line;
        batch.plannedQuantity = input.plannedQuantity();
        batch.createdAt = OffsetDateTime.now();
        batch.persist();
        return Response.created(URI.create("/api/batches/" + batch.id)).entity(BatchView.of(batch)).build();
    }

    public static Batch find(long id) {
        return Batch.require(id);
    }
}
