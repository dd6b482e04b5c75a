package io.tracemark.trace.security;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.panache.common.Sort;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.tracemark.trace.problem.ProblemException;

@Path("/api")
@Tag(name = "Access")
public class UserResource {

    private final SecurityIdentity identity;

    public UserResource(SecurityIdentity identity) {
        this.identity = identity;
    }

    public record UserInput(
            @NotBlank @Size(max = 100) @Pattern(regexp = "[A-Za-z0-9._@-]+",
                    message = "may contain letters, digits, '.', '_', '@' and '-' only") String username,
            @NotNull @Size(min = 12, max = 200, message = "must have 12 to 200 characters") String password,
            @NotEmpty Set<@NotBlank String> roles) {
    }

    public record UserView(long id, String username, Set<String> roles, boolean disabled, OffsetDateTime createdAt) {
        static UserView of(AppUser user) {
            return new UserView(user.id, user.username, user.roleSet(), user.disabled, user.createdAt);
        }
    }

    public record Me(String name, Set<String> roles) {
    }

    @GET
    @Path("me")
    @Authenticated
    public Me me() {
        return new Me(identity.getPrincipal().getName(), new TreeSet<>(identity.getRoles()));
    }

    @GET
    @Path("users")
    @RolesAllowed(Roles.ADMIN)
    public List<UserView> users() {
        return AppUser.<AppUser>listAll(Sort.by("username")).stream().map(UserView::of).toList();
    }

    @POST
    @Path("users")
    @Transactional
    @RolesAllowed(Roles.ADMIN)
    public Response createUser(@NotNull @Valid UserInput input) {
        for (String role : input.roles()) {
            if (!Roles.ALL.contains(role) || Roles.STATION.equals(role)) {
                throw ProblemException.invalid("roles", "'" + role + "' is not a user role; use admin, operator, "
                        + "partner or regulator (stations get keys)");
            }
        }
        if (AppUser.findByUsername(input.username()).isPresent()) {
            throw ProblemException.conflict("User " + input.username() + " already exists");
        }
        AppUser user = new AppUser();
        user.username = input.username();
        user.passwordHash = Credentials.hashPassword(input.password());
        user.roles = String.join(",", new TreeSet<>(input.roles()));
        user.createdAt = OffsetDateTime.now();
        user.persist();
        return Response.created(URI.create("/api/users/" + user.id)).entity(UserView.of(user)).build();
    }
}
