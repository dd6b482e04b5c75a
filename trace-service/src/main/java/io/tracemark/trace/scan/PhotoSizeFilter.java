package io.tracemark.trace.scan;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.tracemark.trace.problem.Problem;
import io.tracemark.trace.problem.ProblemType;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a photo whose Content-Length is over the limit before its body is read: the HTTP layer's
 * own body limit (quarkus.http.limits.max-body-size) would answer a bare 413 with no word of why,
 * and a photo under that but over ours would be read in full only to be refused.
 */
@ApplicationScoped
public class PhotoSizeFilter {

    /** Before the REST layer, which reads the body. */
    private static final int PRIORITY = 100;

    private final ScanPages pages;
    private final ObjectMapper json;
    private final long maxBytes;

    public PhotoSizeFilter(ScanPages pages, ObjectMapper json, ScanConfig config) {
        this.pages = pages;
        this.json = json;
        this.maxBytes = config.photo().maxBytes();
    }

    void register(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    private void check(RoutingContext context) {
        long length = contentLength(context.request().getHeader(HttpHeaders.CONTENT_LENGTH));
        if (context.request().method() != HttpMethod.POST || !"/scan/photo".equals(context.normalizedPath())
                || length <= maxBytes) {
            context.next();
            return;
        }
        Problem problem = new Problem(ProblemType.PAYLOAD_TOO_LARGE.uri(), ProblemType.PAYLOAD_TOO_LARGE.title(), 413,
                "The upload has " + length + " bytes; a photo of at most " + maxBytes + " bytes is accepted", "/scan/photo", List.of());
        boolean html = Negotiation.wantsHtml(Negotiation.acceptable(context.request().getHeader(HttpHeaders.ACCEPT)));
        String body = html ? pages.problem(problem, 0, context.request().getHeader(HttpHeaders.ACCEPT_LANGUAGE))
                : write(problem);
        // The unread body is not wanted: close the connection rather than drain megabytes.
        context.response().setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, html ? MediaType.TEXT_HTML + ";charset=UTF-8" : Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.VARY, HttpHeaders.ACCEPT).putHeader("Connection", "close").end(body);
    }

    private static long contentLength(String header) {
        try {
            return header == null ? -1 : Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private String write(Problem problem) {
        try {
            return json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A problem of strings always writes as JSON", e);
        }
    }
}
