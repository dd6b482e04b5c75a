package io.tracemark.trace.input;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.tracemark.trace.problem.ProblemException;

/**
 * Refuses a NUL character (%00) in any path or query parameter before a resource sees it: no
 * Tracemark parameter means one, and PostgreSQL cannot compare text that holds one.
 */
public class NulParameterFilter {

    @ServerRequestFilter
    public Optional<Response> refuseNul(ContainerRequestContext request) {
        UriInfo uri = request.getUriInfo();
        Optional<String> field = withNul(uri.getPathParameters()).or(() -> withNul(uri.getQueryParameters()));
        field.ifPresent(name -> {
            throw ProblemException.invalid(name, "contains a NUL character (%00), which no parameter accepts");
        });
        return Optional.empty();
    }

    private static Optional<String> withNul(MultivaluedMap<String, String> parameters) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            if (parameter.getKey().indexOf('\0') >= 0) {
                return Optional.of("parameter name");
            }
            if (parameter.getValue().stream().anyMatch(value -> value != null && value.indexOf('\0') >= 0)) {
                return Optional.of(parameter.getKey());
            }
        }
        return Optional.empty();
    }
}
