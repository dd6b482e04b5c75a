package io.tracemark.trace.console;

import java.net.URI;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.tracemark.trace.security.SignInDeferred;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Guards the console's sign-in form post (handled by the form mechanism, not a resource): a post
 * from a page of another site is refused before any password is read (Sec-Fetch-Site, or else
 * Origin against Host), and a sign-in deferred by the throttle or the password-check pool is
 * answered with a page saying when to try again, 429 or 503 with Retry-After.
 */
@ApplicationScoped
public class SignInGuard {

    static final String SIGN_IN_POST = "/console/j_security_check";
    /** After the page headers, before authentication. */
    private static final int PRIORITY = 900;

    private final Template refused;

    public SignInGuard(@Location("console/sign-in-refused") Template refused) {
        this.refused = refused;
    }

    void register(@Observes Filters filters) {
        filters.register(this::refuseCrossSite, PRIORITY);
    }

    void answerDeferred(@Observes Router router) {
        router.route(SIGN_IN_POST).failureHandler(this::deferred);
    }

    private void refuseCrossSite(RoutingContext context) {
        if (context.request().method() == HttpMethod.POST && SIGN_IN_POST.equals(context.normalizedPath())
                && !sameOrigin(context)) {
            answer(context, 403, "The sign-in form was sent from a page of another site. Sign in from this "
                    + "service's own sign-in page.");
            return;
        }
        context.next();
    }

    /** A browser says where a form came from; a request that says nothing is not from another site's page. */
    static boolean sameOrigin(RoutingContext context) {
        String fetchSite = context.request().getHeader("Sec-Fetch-Site");
        if (fetchSite != null) {
            return fetchSite.equals("same-origin") || fetchSite.equals("none");
        }
        String origin = context.request().getHeader(HttpHeaders.ORIGIN);
        if (origin == null) {
            return true;
        }
        try {
            return URI.create(origin).getRawAuthority() != null
                    && URI.create(origin).getRawAuthority().equalsIgnoreCase(context.request().getHeader(HttpHeaders.HOST));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void deferred(RoutingContext context) {
        for (Throwable failure = context.failure(); failure != null; failure = failure.getCause()) {
            if (failure instanceof SignInDeferred deferred) {
                context.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(deferred.retryAfterSeconds()));
                answer(context, deferred.status(), deferred.status() == 429
                        ? "Too many failed sign-ins for this user name or from your address. Wait "
                                + deferred.retryAfterSeconds() + " seconds, then try again."
                        : "Too many sign-ins are being checked right now. Try again in a moment.");
                return;
            }
        }
        context.next();
    }

    private void answer(RoutingContext context, int status, String message) {
        context.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/html;charset=UTF-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(refused.data("message", message).render());
    }
}
