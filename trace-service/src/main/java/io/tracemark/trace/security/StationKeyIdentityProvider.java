package io.tracemark.trace.security;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

import io.tracemark.trace.roles.Roles;

/** Turns a valid, unrevoked station key into the identity of its station, bound to one line. */
@ApplicationScoped
public class StationKeyIdentityProvider implements IdentityProvider<StationKeyRequest> {

    @Override
    public Class<StationKeyRequest> getRequestType() {
        return StationKeyRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(StationKeyRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            Credentials.StationKey presented = request.key();
            Long lineId = QuarkusTransaction.joiningExisting().call(() -> ApiKey.findByKeyId(presented.keyId())
                    .filter(key -> key.revokedAt == null)
                    .filter(key -> Credentials.sameHash(key.secretHash, Credentials.sha256(presented.secret())))
                    .map(key -> key.line.id)
                    .orElse(null));
            if (lineId == null) {
                throw new AuthenticationFailedException("unknown or revoked station key");
            }
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal("station-key:" + presented.keyId()))
                    .addRole(Roles.STATION)
                    .addAttribute(StationScope.LINE_ID, lineId)
                    .build();
        });
    }
}
