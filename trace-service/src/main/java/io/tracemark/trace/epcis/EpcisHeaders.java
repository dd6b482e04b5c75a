package io.tracemark.trace.epcis;

import java.util.List;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.tracemark.trace.problem.Problem;
import io.tracemark.trace.problem.ProblemType;

/**
 * The versions of the standards every EPCIS answer states, as the REST binding asks (errors
 * included), and the refusal of a client that needs other versions than the ones spoken here.
 */
public class EpcisHeaders {

    static final String EPCIS_VERSION = "2.0.0";
    static final String CBV_VERSION = "2.0.0";

    @ServerRequestFilter
    public Response versionsAsked(ContainerRequestContext request) {
        if (!isEpcis(request)) {
            return null;
        }
        for (String[] bound : List.of(new String[] { "GS1-EPCIS-Min", EPCIS_VERSION, "min" },
                new String[] { "GS1-EPCIS-Max", EPCIS_VERSION, "max" }, new String[] { "GS1-CBV-Min", CBV_VERSION, "min" },
                new String[] { "GS1-CBV-Max", CBV_VERSION, "max" })) {
            String asked = request.getHeaderString(bound[0]);
            if (asked == null || asked.isBlank()) {
                continue;
            }
            int order;
            try {
                order = compare(asked.strip(), bound[1]);
            } catch (NumberFormatException e) {
                return refuse(request, ProblemType.VALIDATION_FAILED, bound[0] + ": '" + asked + "' is not a version such as 2.0.0",
                        List.of(new Problem.Violation(bound[0], "'" + asked + "' is not a version such as 2.0.0")));
            }
            if (bound[2].equals("min") ? order > 0 : order < 0) {
                return refuse(request, ProblemType.NOT_ACCEPTABLE, bound[0] + " " + asked + " excludes version " + bound[1]
                        + ", the one this repository speaks", List.of());
            }
        }
        return null;
    }

    @ServerResponseFilter
    public void versions(ContainerRequestContext request, ContainerResponseContext response) {
        if (isEpcis(request)) {
            response.getHeaders().putSingle("GS1-EPCIS-Version", EPCIS_VERSION);
            response.getHeaders().putSingle("GS1-CBV-Version", CBV_VERSION);
        }
    }

    private static boolean isEpcis(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        return path.startsWith("/epcis") || path.startsWith("epcis");
    }

    private static Response refuse(ContainerRequestContext request, ProblemType type, String detail,
            List<Problem.Violation> violations) {
        Problem problem = new Problem(type.uri(), type.title(), type.status(), detail,
                request.getUriInfo().getRequestUri().getRawPath(), violations);
        return Response.status(type.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    /** Compares dotted versions number by number; missing numbers count as 0 (2 = 2.0.0). */
    static int compare(String a, String b) {
        String[] left = a.split("\\.");
        String[] right = b.split("\\.");
        for (int i = 0; i < Math.max(left.length, right.length); i++) {
            int x = i < left.length ? Integer.parseInt(left[i]) : 0;
            int y = i < right.length ? Integer.parseInt(right[i]) : 0;
            if (x != y) {
                return Integer.compare(x, y);
            }
        }
        return 0;
    }
}
