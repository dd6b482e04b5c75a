package io.tracemark.trace.scan;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.tracemark.trace.problem.Problem;

/**
 * A browser on a consumer page gets a problem as a page it can read, with what to do; apps keep
 * the RFC 9457 document. Status and headers (Retry-After, ...) stay as they were.
 */
public class ProblemPageFilter {

    private final ScanPages pages;

    public ProblemPageFilter(ScanPages pages) {
        this.pages = pages;
    }

    @ServerResponseFilter
    public void toPage(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(response.getEntity() instanceof Problem problem) || !Negotiation.isConsumerPath(request.getUriInfo().getPath())
                || !Negotiation.wantsHtml(request.getAcceptableMediaTypes())) {
            return;
        }
        long retryAfter = parseSeconds(response.getHeaderString(HttpHeaders.RETRY_AFTER));
        String page = pages.problem(problem, retryAfter, request.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE));
        response.setEntity(page, null, MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"));
        response.getHeaders().add(HttpHeaders.VARY, HttpHeaders.ACCEPT);
    }

    private static long parseSeconds(String header) {
        try {
            return header == null ? 0 : Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
