package io.tracemark.trace.scan;

import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.tracemark.trace.problem.Problem;
import io.tracemark.trace.problem.ProblemType;
import io.vertx.core.http.HttpServerRequest;

/**
 * Limits the public scan endpoints per client address: a code's page and JSON (/01/...), scan
 * by photo (/scan/...) and the offline check (POST /api/codes/check). A refused request is answered
 * 429 with Retry-After before anything is read or recorded.
 */
public class RateLimitFilter {

    private final RateLimiter limiter;
    private final boolean trustForwardedFor;

    public RateLimitFilter(RateLimiter limiter, ScanConfig config) {
        this.limiter = limiter;
        this.trustForwardedFor = config.rateLimit().trustForwardedFor();
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> limit(ContainerRequestContext request, HttpServerRequest http) {
        String path = request.getUriInfo().getPath();
        if (!isPublicScan(request.getMethod(), path)) {
            return Optional.empty();
        }
        String peer = http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress();
        String client = RateLimiter.client(peer, request.getHeaderString("X-Forwarded-For"), trustForwardedFor);
        RateLimiter.Decision decision = limiter.tryAcquire(client);
        if (decision.allowed()) {
            return Optional.empty();
        }
        // Whole seconds, rounded up: a client that waits exactly this long finds a token.
        long seconds = Math.max(1, (decision.retryAfter().toMillis() + 999) / 1000);
        Problem problem = new Problem(ProblemType.TOO_MANY_REQUESTS.uri(), ProblemType.TOO_MANY_REQUESTS.title(), 429,
                "Too many requests from your address: try again in " + seconds + " s", path, List.of());
        return Optional.of(Response.status(429).type(Problem.MEDIA_TYPE).entity(problem)
                .header(HttpHeaders.RETRY_AFTER, seconds).build());
    }

    static boolean isPublicScan(String method, String path) {
        return Negotiation.isConsumerPath(path) || HttpMethod.POST.equals(method) && path.equals("/api/codes/check");
    }
}
