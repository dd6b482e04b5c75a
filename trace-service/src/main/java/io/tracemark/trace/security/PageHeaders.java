package io.tracemark.trace.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * Security headers on every page the service renders (scan pages, console, line view, sign-in,
 * error pages), whichever handler answered: scripts and styles from the service's own files only
 * (no inline script), no framing, no MIME sniffing, no full URL in the Referer sent elsewhere.
 * Swagger UI under /q/ brings its own inline script and is left as it is.
 */
@ApplicationScoped
public class PageHeaders {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
            + "base-uri 'none'; object-src 'none'";
    /** Before routing and authentication, so that redirects and refusals carry the headers too. */
    private static final int PRIORITY = 1000;

    void register(@Observes Filters filters) {
        filters.register(PageHeaders::onHeaders, PRIORITY);
    }

    private static void onHeaders(RoutingContext context) {
        context.addHeadersEndHandler(ignored -> {
            MultiMap headers = context.response().headers();
            headers.set("X-Content-Type-Options", "nosniff");
            String type = headers.get("Content-Type");
            if (type != null && type.startsWith("text/html") && !context.normalizedPath().startsWith("/q/")) {
                headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
                headers.set("X-Frame-Options", "DENY");
                headers.set("Referrer-Policy", "same-origin");
            }
        });
        context.next();
    }
}
