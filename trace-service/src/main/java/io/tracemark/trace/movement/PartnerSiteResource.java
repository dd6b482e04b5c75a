package io.tracemark.trace.movement;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.tracemark.trace.access.CallerScope;
import io.tracemark.trace.problem.Problem;
import io.tracemark.trace.problem.ProblemException;
import io.tracemark.trace.problem.ProblemType;
import io.tracemark.trace.security.AppUser;
import io.tracemark.trace.roles.Roles;
import io.tracemark.trace.site.Site;

/** The sites a partner user reports for: set by admins, enforced on every movement. */
@Path("/api/users/{id}/sites")
@Tag(name = "Access")
public class PartnerSiteResource {

    private final CallerScope access;

    public PartnerSiteResource(CallerScope access) {
        this.access = access;
    }

    public record PartnerSites(@NotNull List<@NotNull Long> siteIds) {
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    public PartnerSites get(@PathParam("id") long id) {
        return new PartnerSites(access.sitesOf(partner(id).id));
    }

    @PUT
    @Transactional
    @RolesAllowed(Roles.ADMIN)
    public PartnerSites put(@PathParam("id") long id, @NotNull @Valid PartnerSites input) {
        AppUser user = partner(id);
        List<Problem.Violation> violations = new ArrayList<>();
        List<Long> ids = new ArrayList<>(new LinkedHashSet<>(input.siteIds()));
        for (int i = 0; i < input.siteIds().size(); i++) {
            if (Site.findById(input.siteIds().get(i)) == null) {
                violations.add(new Problem.Violation("siteIds[" + i + "]",
                        "site " + input.siteIds().get(i) + " does not exist"));
            }
        }
        if (!violations.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "Unknown sites; nothing was changed", violations);
        }
        access.assign(user.id, ids);
        return new PartnerSites(access.sitesOf(user.id));
    }

    private static AppUser partner(long id) {
        AppUser user = AppUser.<AppUser>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("User", id));
        if (!user.roleSet().contains(Roles.PARTNER)) {
            throw ProblemException.invalid("id", "user " + user.username + " is not a partner; only partners report for sites");
        }
        return user;
    }
}
