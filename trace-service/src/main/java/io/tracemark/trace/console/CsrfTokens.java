package io.tracemark.trace.console;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.tracemark.trace.problem.Problem;
import io.tracemark.trace.problem.ProblemType;

/**
 * The console's CSRF token, on top of SameSite=Strict session cookies: every request that changes
 * something (recall, sign-out) must carry it in the {@value #HEADER} header, which a page of another
 * site cannot set. The token is an HMAC, under the session key, of the user and the moment the
 * user's sessions were last ended: nothing is stored, every instance computes the same token, and
 * a sign-out makes a new one. Pages carry it in a meta element that console.js reads.
 */
public class CsrfTokens {

    public static final String HEADER = "X-CSRF-Token";
    static final String ATTRIBUTE = "tracemark.csrf-token";

    private final SecretKeySpec key;
    private final CurrentIdentityAssociation identities;

    public CsrfTokens(@ConfigProperty(name = SessionKeySource.FORM_KEY) String sessionKey,
            CurrentIdentityAssociation identities) {
        this.key = keyOf(sessionKey);
        this.identities = identities;
    }

    static SecretKeySpec keyOf(String sessionKey) {
        return new SecretKeySpec(("csrf\n" + sessionKey).getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    static String token(SecretKeySpec key, String username, long sessionsEndedAtMillis) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] tag = mac.doFinal((username + "\n" + sessionsEndedAtMillis).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** The token of a console session's identity, to put into a page. */
    static String of(SecurityIdentity identity) {
        return identity.getAttribute(ATTRIBUTE);
    }

    @ServerRequestFilter
    public Uni<Response> requireToken(ContainerRequestContext request) {
        if (!changesState(request.getMethod()) || !request.getUriInfo().getPath().startsWith("/console/")) {
            return Uni.createFrom().nullItem();
        }
        String presented = request.getHeaderString(HEADER);
        return identities.getDeferredIdentity().map(identity -> {
            if (identity.isAnonymous()) {
                // Goes on to be refused as unauthenticated.
                return null;
            }
            String expected = of(identity);
            if (expected != null && presented != null && MessageDigest.isEqual(
                    expected.getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.US_ASCII))) {
                return null;
            }
            return refuse(request.getUriInfo().getPath());
        }).onFailure().recoverWithNull();
    }

    private static boolean changesState(String method) {
        return !(HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) || HttpMethod.OPTIONS.equals(method));
    }

    private static Response refuse(String path) {
        Problem problem = new Problem(ProblemType.FORBIDDEN.uri(), ProblemType.FORBIDDEN.title(), 403,
                "This request changes something and needs the console's " + HEADER + " header from the page it was "
                        + "made from; reload the page and try again", path, java.util.List.of());
        return Response.status(403).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
