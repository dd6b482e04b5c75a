package io.tracemark.trace.security;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Checks HTTP Basic credentials against the users table. */
@ApplicationScoped
public class UserIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
            AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            String username = request.getUsername();
            String password = new String(request.getPassword().getPassword());
            AppUser user = QuarkusTransaction.joiningExisting()
                    .call(() -> AppUser.findByUsername(username).orElse(null));
            if (user == null || user.disabled || !Credentials.passwordMatches(password, user.passwordHash)) {
                throw new AuthenticationFailedException("unknown user or wrong password");
            }
            return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(user.username))
                    .addRoles(user.roleSet()).build();
        });
    }
}
