package io.tracemark.trace.security;

import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/** Reads station keys from {@code Authorization: Bearer tmk_…}; other requests pass to HTTP Basic. */
@ApplicationScoped
public class StationKeyMechanism implements HttpAuthenticationMechanism {

    private static final String BEARER = "Bearer ";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String header = context.request().getHeader("Authorization");
        Optional<Credentials.StationKey> key = header != null && header.startsWith(BEARER)
                ? Credentials.StationKey.parse(header.substring(BEARER.length()).strip())
                : Optional.empty();
        if (key.isEmpty()) {
            return Uni.createFrom().optional(Optional.empty());
        }
        return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(
                new StationKeyRequest(key.get()), context));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"Tracemark\""));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(StationKeyRequest.class);
    }
}
