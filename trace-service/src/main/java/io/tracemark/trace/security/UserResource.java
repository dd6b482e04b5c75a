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
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.panache.common.Sort;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.tracemark.trace.roles.Roles;
import io.tracemark.trace.problem.ProblemException;

@Path("/api")
@Tag(name = "Access")
public class UserResource {

    private static final String PASSWORD_RULE = "must have 12 to 200 characters";

    private final SecurityIdentity identity;
    private final Accounts accounts;

    public UserResource(SecurityIdentity identity, Accounts accounts) {
        this.identity = identity;
        this.accounts = accounts;
    }

    public record UserInput(
            @NotBlank @Size(max = 100) @Pattern(regexp = "[A-Za-z0-9._@-]+",
                    message = "may contain letters, digits, '.', '_', '@' and '-' only") String username,
            @NotNull @Size(min = 12, max = 200, message = PASSWORD_RULE) String password,
            @NotEmpty Set<@NotBlank String> roles) {
    }

    public record UserView(long id, String username, Set<String> roles, boolean disabled, OffsetDateTime createdAt) {
        static UserView of(AppUser user) {
            return new UserView(user.id, user.username, user.roleSet(), user.disabled, user.createdAt);
        }
    }

    public record Me(String name, Set<String> roles) {
    }

    public record PasswordChange(@NotNull String currentPassword,
            @NotNull @Size(min = 12, max = 200, message = PASSWORD_RULE) String newPassword) {
    }

    public record PasswordReset(@NotNull @Size(min = 12, max = 200, message = PASSWORD_RULE) String password) {
    }

    @GET
    @Path("me")
    @Authenticated
    public Me me() {
        return new Me(identity.getPrincipal().getName(), new TreeSet<>(identity.getRoles()));
    }

    @PUT
    @Path("me/password")
    // Station keys have no password: an admin revokes a key and issues another.
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.REGULATOR, Roles.PARTNER })
    @Operation(summary = "Change your own password", description = "The current password is required. "
            + "The old password stops working at once, on the API and in the console, and your console sessions end.")
    @APIResponse(responseCode = "204", description = "Changed")
    @APIResponse(responseCode = "400", description = "The current password is wrong, or the new one is too short or long")
    @APIResponse(responseCode = "401", description = "Not signed in")
    @APIResponse(responseCode = "403", description = "A station key: stations have keys, not passwords")
    @APIResponse(responseCode = "429", description = "Too many failed sign-ins; see Retry-After")
    public Response changeOwnPassword(@NotNull @Valid PasswordChange change) {
        accounts.changeOwnPassword(identity, change.currentPassword(), change.newPassword());
        return Response.noContent().build();
    }

    @PUT
    @Path("users/{id}/password")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Set a user's password", description = "For a user who lost theirs. The old password "
            + "stops working at once and the user's console sessions end.")
    @APIResponse(responseCode = "204", description = "Set")
    @APIResponse(responseCode = "400", description = "The password is too short or too long")
    @APIResponse(responseCode = "403", description = "Not an admin")
    @APIResponse(responseCode = "404", description = "No such user")
    public Response resetPassword(@PathParam("id") long id, @NotNull @Valid PasswordReset reset) {
        accounts.resetPassword(id, reset.password());
        return Response.noContent().build();
    }

    @POST
    @Path("users/{id}/disable")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Disable a user", description = "At once: the user's password is refused on the API "
            + "and the console, and the user's console sessions stop working. An admin cannot disable themself.")
    @APIResponse(responseCode = "200", description = "Disabled; the user as it is now")
    @APIResponse(responseCode = "400", description = "An admin tried to disable their own account")
    @APIResponse(responseCode = "403", description = "Not an admin")
    @APIResponse(responseCode = "404", description = "No such user")
    public UserView disable(@PathParam("id") long id) {
        return UserView.of(accounts.setDisabled(identity, id, true));
    }

    @POST
    @Path("users/{id}/enable")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Enable a disabled user again", description = "The user signs in with the same password.")
    @APIResponse(responseCode = "200", description = "Enabled; the user as it is now")
    @APIResponse(responseCode = "403", description = "Not an admin")
    @APIResponse(responseCode = "404", description = "No such user")
    public UserView enable(@PathParam("id") long id) {
        return UserView.of(accounts.setDisabled(identity, id, false));
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
