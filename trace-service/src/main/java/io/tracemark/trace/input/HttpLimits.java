package io.tracemark.trace.input;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.tracemark.trace.problem.Problem;
import io.tracemark.trace.problem.ProblemType;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers an oversized request with a problem document, as every other refusal is answered.
 * Quarkus' own limit handlers end such a request with a bare status, so these checks run just
 * before them: a body whose declared length is over {@code quarkus.http.limits.max-body-size} gets
 * 413, and a request target over {@link #MAX_URI_LENGTH} characters gets 414. The HTTP decoder's
 * own line limit is set far above that (application.properties), so that a long target reaches
 * this handler; only a line longer than the decoder's limit still gets Vert.x's bare 414.
 */
@ApplicationScoped
public class HttpLimits {

    /** Longest request target (path and query) accepted, as common servers and proxies allow. */
    public static final int MAX_URI_LENGTH = 8192;

    private final long maxBodyBytes;
    private final ObjectMapper json = new ObjectMapper();

    public HttpLimits(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
        this.maxBodyBytes = maxBody.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::check);
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).failureHandler(this::bodyTooLarge);
    }

    private void check(RoutingContext context) {
        String uri = context.request().uri();
        if (uri.length() > MAX_URI_LENGTH) {
            refuse(context, ProblemType.URI_TOO_LONG, "The request target has " + uri.length()
                    + " characters; at most " + MAX_URI_LENGTH + " are accepted", false);
            return;
        }
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && declaredOver(length)) {
            refuse(context, ProblemType.PAYLOAD_TOO_LARGE,
                    "The request body has " + length.strip() + " bytes; at most " + maxBodyBytes + " are accepted", true);
            return;
        }
        context.next();
    }

    /** A body without a declared length that grows over the limit fails the route with 413. */
    private void bodyTooLarge(RoutingContext context) {
        if (context.statusCode() == 413 && !context.response().headWritten()) {
            refuse(context, ProblemType.PAYLOAD_TOO_LARGE,
                    "The request body is over the " + maxBodyBytes + " bytes accepted", true);
        } else {
            context.next();
        }
    }

    private boolean declaredOver(String length) {
        try {
            return Long.parseLong(length.strip()) > maxBodyBytes;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Ends the request with a problem. The connection is closed after a refused body, so that the
     * unread bytes of it are never taken for the next request.
     */
    private void refuse(RoutingContext context, ProblemType type, String detail, boolean close) {
        String path = context.request().path();
        Problem problem = new Problem(type.uri(), type.title(), type.status(), detail,
                path == null || path.length() > MAX_URI_LENGTH ? null : path, List.of());
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A problem document always serialises", e);
        }
        var response = context.response().setStatusCode(type.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (close) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
            response.endHandler(ignored -> context.request().connection().close());
        }
        response.end(body);
    }
}
