package io.tracemark.trace.product;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.panache.common.Sort;
import io.quarkus.security.Authenticated;
import io.tracemark.trace.gs1.Gs1Keys;
import io.tracemark.trace.gs1.Gtin;
import io.tracemark.trace.paging.Page;
import io.tracemark.trace.paging.PageRequest;
import io.tracemark.trace.problem.ProblemException;
import io.tracemark.trace.roles.Roles;

@Path("/api/products")
@Tag(name = "Master data")
@Authenticated
public class ProductResource {

    /** What a client sends to create or change a product. */
    public record ProductInput(
            @NotNull @Gtin String gtin,
            @NotBlank @Size(max = 200) String name,
            @Size(max = 200) String brand,
            @Size(max = 4000) String description,
            @Size(max = 2000) @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL") String imageUrl,
            Map<@NotBlank @Size(max = 100) String, @NotNull @Size(max = 1000) String> attributes) {
    }

    public record ProductView(long id, String gtin, String name, String brand, String description, String imageUrl,
            Map<String, String> attributes, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

        static ProductView of(Product p) {
            return new ProductView(p.id, p.gtin, p.name, p.brand, p.description, p.imageUrl,
                    p.attributes == null ? Map.of() : p.attributes, p.createdAt, p.updatedAt);
        }
    }

    @GET
    public Page<ProductView> list(@QueryParam("q") String search, @Valid @BeanParam PageRequest paging) {
        var query = search == null || search.isBlank()
                ? Product.<Product>findAll(Sort.by("id"))
                : Product.<Product>find("lower(name) like ?1 or gtin like ?1 or lower(brand) like ?1", Sort.by("id"),
                        "%" + search.strip().toLowerCase() + "%");
        return Page.of(query, paging, ProductView::of);
    }

    @GET
    @Path("{id}")
    public ProductView get(@PathParam("id") long id) {
        return ProductView.of(find(id));
    }

    @POST
    @Transactional
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    public Response create(@NotNull @Valid ProductInput input) {
        String gtin14 = Gs1Keys.gtin14(input.gtin()).orElseThrow();
        if (Product.findByGtin(gtin14).isPresent()) {
            throw ProblemException.conflict("A product with GTIN " + gtin14 + " already exists");
        }
        Product product = new Product();
        product.gtin = gtin14;
        product.createdAt = OffsetDateTime.now();
        apply(input, product);
        product.persist();
        return Response.created(URI.create("/api/products/" + product.id)).entity(ProductView.of(product)).build();
    }

    @PUT
    @Path("{id}")
    @Transactional
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    public ProductView update(@PathParam("id") long id, @NotNull @Valid ProductInput input) {
        Product product = find(id);
        if (!product.gtin.equals(Gs1Keys.gtin14(input.gtin()).orElseThrow())) {
            // Codes already carry the GTIN; changing it would make every issued code lie.
            throw ProblemException.invalid("gtin", "cannot change once the product exists (it is " + product.gtin + ")");
        }
        apply(input, product);
        product.updatedAt = OffsetDateTime.now();
        return ProductView.of(product);
    }

    private static void apply(ProductInput input, Product product) {
        product.name = input.name().strip();
        product.brand = input.brand();
        product.description = input.description();
        product.imageUrl = input.imageUrl();
        product.attributes = input.attributes() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(input.attributes());
    }

    static Product find(long id) {
        return Product.<Product>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("Product", id));
    }
}
