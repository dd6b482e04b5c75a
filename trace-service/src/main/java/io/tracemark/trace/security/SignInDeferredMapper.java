package io.tracemark.trace.security;

import java.util.List;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.tracemark.trace.problem.Problem;
import io.tracemark.trace.problem.ProblemType;

/** An API request whose credentials were not checked now: a problem with Retry-After, 429 or 503. */
public class SignInDeferredMapper {

    @ServerExceptionMapper
    public Response deferred(SignInDeferred e, UriInfo uri) {
        ProblemType type = ProblemType.forStatus(e.status());
        Problem problem = new Problem(type.uri(), type.title(), e.status(),
                e.getMessage() + ": try again in " + e.retryAfterSeconds() + " s", uri.getPath(), List.of());
        return Response.status(e.status()).type(Problem.MEDIA_TYPE).entity(problem)
                .header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds()).build();
    }
}
