package io.tracemark.trace.console;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.tracemark.trace.security.AppUser;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;

/**
 * The user of a console session. The session cookie, encrypted by the service, names a user whose
 * password was checked at sign-in; each request reads the user again, so a user disabled or given
 * other roles since then is treated as such at once, and a cookie issued before the user's
 * sessions were ended (sign-out, a new password) no longer opens anything, on any instance.
 */
@ApplicationScoped
public class SessionIdentityProvider implements IdentityProvider<TrustedAuthenticationRequest> {

    private final SessionCookie cookies;
    private final String cookieName;
    private final SecretKeySpec csrfKey;

    public SessionIdentityProvider(@ConfigProperty(name = SessionKeySource.FORM_KEY) String sessionKey,
            @ConfigProperty(name = "quarkus.http.auth.form.timeout") Duration timeout,
            @ConfigProperty(name = "quarkus.http.auth.form.cookie-name", defaultValue = "quarkus-credential") String cookieName) {
        this.cookies = new SessionCookie(sessionKey, timeout);
        this.csrfKey = CsrfTokens.keyOf(sessionKey);
        this.cookieName = cookieName;
    }

    @Override
    public Class<TrustedAuthenticationRequest> getRequestType() {
        return TrustedAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TrustedAuthenticationRequest request,
            AuthenticationRequestContext context) {
        Optional<Instant> issuedAt = issuedAt(HttpSecurityUtils.getRoutingContextAttribute(request));
        return context.runBlocking(() -> {
            Optional<AppUser> user = QuarkusTransaction.joiningExisting()
                    .call(() -> AppUser.findByUsername(request.getPrincipal()));
            if (user.isEmpty() || user.get().disabled) {
                throw new AuthenticationFailedException("the session's user no longer exists or is disabled");
            }
            if (issuedAt.isEmpty() || !user.get().sessionValidAt(issuedAt.get())) {
                throw new AuthenticationFailedException("the session was ended");
            }
            AppUser found = user.get();
            long endedAt = found.sessionsEndedAt == null ? 0 : found.sessionsEndedAt.toInstant().toEpochMilli();
            return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(found.username))
                    .addRoles(found.roleSet())
                    .addAttribute(CsrfTokens.ATTRIBUTE, CsrfTokens.token(csrfKey, found.username, endedAt)).build();
        });
    }

    private Optional<Instant> issuedAt(RoutingContext http) {
        Cookie cookie = http == null ? null : http.request().getCookie(cookieName);
        return cookie == null ? Optional.empty() : cookies.issuedAt(cookie.getValue());
    }
}
