package io.tracemark.trace.site;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
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
import io.tracemark.trace.gs1.Gln;
import io.tracemark.trace.paging.Page;
import io.tracemark.trace.paging.PageRequest;
import io.tracemark.trace.problem.ProblemException;
import io.tracemark.trace.roles.Roles;

@Path("/api/sites")
@Tag(name = "Master data")
@Authenticated
public class SiteResource {

    public record Address(@Size(max = 200) String street, @Size(max = 100) String city,
            @Size(max = 20) String postalCode,
            @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166-1 alpha-2 country code such as DE") String country) {
    }

    public record Coordinates(
            @NotNull @DecimalMin("-90") @DecimalMax("90") Double latitude,
            @NotNull @DecimalMin("-180") @DecimalMax("180") Double longitude) {
    }

    public record SiteInput(@NotNull @Gln String gln, @NotBlank @Size(max = 200) String name, @NotNull SiteRole role,
            @Valid Address address, @Valid Coordinates coordinates) {
    }

    public record SiteView(long id, String gln, String name, SiteRole role, Address address, Coordinates coordinates,
            OffsetDateTime createdAt, OffsetDateTime updatedAt) {

        static SiteView of(Site s) {
            Address address = new Address(s.street, s.city, s.postalCode, s.country);
            Coordinates coordinates = s.latitude == null ? null : new Coordinates(s.latitude, s.longitude);
            return new SiteView(s.id, s.gln, s.name, s.role, address, coordinates, s.createdAt, s.updatedAt);
        }
    }

    public record LineInput(@NotBlank @Size(max = 40) @Pattern(regexp = "[A-Za-z0-9._-]+",
            message = "may contain letters, digits, '.', '_' and '-' only") String code,
            @NotBlank @Size(max = 200) String name) {
    }

    public record LineView(long id, long siteId, String code, String name, OffsetDateTime createdAt) {
        public static LineView of(Line line) {
            return new LineView(line.id, line.site.id, line.code, line.name, line.createdAt);
        }
    }

    @GET
    public Page<SiteView> list(@QueryParam("role") SiteRole role, @Valid @BeanParam PageRequest paging) {
        var query = role == null ? Site.<Site>findAll(Sort.by("id")) : Site.<Site>find("role", Sort.by("id"), role);
        return Page.of(query, paging, SiteView::of);
    }

    @GET
    @Path("{id}")
    public SiteView get(@PathParam("id") long id) {
        return SiteView.of(find(id));
    }

    @POST
    @Transactional
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    public Response create(@NotNull @Valid SiteInput input) {
        if (Site.findByGln(input.gln()).isPresent()) {
            throw ProblemException.conflict("A site with GLN " + input.gln() + " already exists");
        }
        Site site = new Site();
        site.gln = input.gln();
        site.createdAt = OffsetDateTime.now();
        apply(input, site);
        site.persist();
        return Response.created(URI.create("/api/sites/" + site.id)).entity(SiteView.of(site)).build();
    }

    @PUT
    @Path("{id}")
    @Transactional
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    public SiteView update(@PathParam("id") long id, @NotNull @Valid SiteInput input) {
        Site site = find(id);
        if (!site.gln.equals(input.gln())) {
            throw ProblemException.invalid("gln", "cannot change once the site exists (it is " + site.gln + ")");
        }
        if (site.role == SiteRole.FACTORY && input.role() != SiteRole.FACTORY && Line.count("site", site) > 0) {
            throw ProblemException.invalid("role", "must stay factory while the site has marking lines");
        }
        apply(input, site);
        site.updatedAt = OffsetDateTime.now();
        return SiteView.of(site);
    }

    @GET
    @Path("{id}/lines")
    public List<LineView> lines(@PathParam("id") long id) {
        Site site = find(id);
        return Line.<Line>list("site", Sort.by("code"), site).stream().map(LineView::of).toList();
    }

    @POST
    @Path("{id}/lines")
    @Transactional
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    public Response addLine(@PathParam("id") long id, @NotNull @Valid LineInput input) {
        Site site = find(id);
        if (site.role != SiteRole.FACTORY) {
            throw ProblemException.invalid("siteId", "site " + id + " is a " + site.role.json()
                    + "; marking lines belong to factories");
        }
        if (Line.count("site = ?1 and code = ?2", site, input.code()) > 0) {
            throw ProblemException.conflict("Site " + id + " already has a line " + input.code());
        }
        Line line = new Line();
        line.site = site;
        line.code = input.code();
        line.name = input.name().strip();
        line.createdAt = OffsetDateTime.now();
        line.persist();
        return Response.created(URI.create("/api/lines/" + line.id)).entity(LineView.of(line)).build();
    }

    private static void apply(SiteInput input, Site site) {
        site.name = input.name().strip();
        site.role = input.role();
        Address address = input.address();
        site.street = address == null ? null : address.street();
        site.city = address == null ? null : address.city();
        site.postalCode = address == null ? null : address.postalCode();
        site.country = address == null ? null : address.country();
        site.latitude = input.coordinates() == null ? null : input.coordinates().latitude();
        site.longitude = input.coordinates() == null ? null : input.coordinates().longitude();
    }

    static Site find(long id) {
        return Site.<Site>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("Site", id));
    }
}
