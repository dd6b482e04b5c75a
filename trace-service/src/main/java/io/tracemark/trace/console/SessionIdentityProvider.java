package io.tracemark.trace.console;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.tracemark.trace.security.AppUser;

/**
 * The user of a console session. The session cookie, encrypted by the service, names a user whose
 * password was checked at sign-in; each request reads the user again, so a user disabled or given
 * other roles since then is treated as such at once.
 */
@ApplicationScoped
public class SessionIdentityProvider implements IdentityProvider<TrustedAuthenticationRequest> {

    @Override
    public Class<TrustedAuthenticationRequest> getRequestType() {
        return TrustedAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TrustedAuthenticationRequest request,
            AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            Optional<AppUser> user = QuarkusTransaction.joiningExisting()
                    .call(() -> AppUser.findByUsername(request.getPrincipal()));
            if (user.isEmpty() || user.get().disabled) {
                throw new AuthenticationFailedException("the session's user no longer exists or is disabled");
            }
            return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(user.get().username))
                    .addRoles(user.get().roleSet()).build();
        });
    }
}
