package io.tracemark.trace.security;

import java.time.Duration;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Checks HTTP Basic credentials against the users table. A bcrypt check costs about a tenth of a
 * second of CPU by design, so a password proven right is remembered for a few minutes (as a
 * SHA-256, never in clear); API clients then pay it once, not on every request.
 */
@ApplicationScoped
public class UserIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    static final Duration REMEMBER_VERIFIED = Duration.ofMinutes(5);
    private static final int MAX_REMEMBERED = 10_000;

    private final Cache<String, Set<String>> verified = Caffeine.newBuilder()
            .expireAfterWrite(REMEMBER_VERIFIED).maximumSize(MAX_REMEMBERED).build();

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
            String remembered = username + "\n" + Credentials.sha256(password);
            Set<String> roles = verified.getIfPresent(remembered);
            if (roles == null) {
                AppUser user = QuarkusTransaction.joiningExisting()
                        .call(() -> AppUser.findByUsername(username).orElse(null));
                if (user == null || user.disabled || !Credentials.passwordMatches(password, user.passwordHash)) {
                    throw new AuthenticationFailedException("unknown user or wrong password");
                }
                roles = user.roleSet();
                verified.put(remembered, roles);
            }
            return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(username)).addRoles(roles)
                    .build();
        });
    }
}
