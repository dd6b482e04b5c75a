package io.tracemark.trace.problem;

import java.util.ArrayList;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/** Turns every failure into an RFC 9457 problem document, so clients see one error shape. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    static final String CHALLENGE = "Basic realm=\"Tracemark\"";
    /** About how long a database restart or fail-over takes; clients back off at least this long. */
    static final int STORAGE_RETRY_AFTER_SECONDS = 5;

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(e.type(), e.getMessage(), uri, e.violations());
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.Violation> violations = e.getConstraintViolations().stream()
                .map(v -> new Problem.Violation(fieldOf(v), v.getMessage()))
                .sorted((a, b) -> a.field().compareTo(b.field()))
                .toList();
        String detail = violations.stream().map(v -> v.field() + ": " + v.message())
                .collect(Collectors.joining("; "));
        return respond(ProblemType.VALIDATION_FAILED, detail, uri, violations);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonParseException e, UriInfo uri) {
        return respond(ProblemType.MALFORMED_REQUEST, "Malformed JSON: " + e.getOriginalMessage()
                + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr(), uri, List.of());
    }

    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return jsonMapping(e, uri);
    }

    @ServerExceptionMapper
    public Response jsonMapping(JsonMappingException e, UriInfo uri) {
        String field = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        if (field.isEmpty()) {
            return respond(ProblemType.MALFORMED_REQUEST, "Malformed JSON: " + e.getOriginalMessage(), uri, List.of());
        }
        String message = "has the wrong type or format (" + firstLine(e.getOriginalMessage()) + ")";
        return respond(ProblemType.VALIDATION_FAILED, field + ": " + message, uri,
                List.of(new Problem.Violation(field, message)));
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        return respond(ProblemType.MALFORMED_REQUEST, "Malformed JSON: " + e.getOriginalMessage(), uri, List.of());
    }

    @ServerExceptionMapper
    public Response storageConflict(org.hibernate.exception.ConstraintViolationException e, UriInfo uri) {
        return respond(ProblemType.CONFLICT, "The request conflicts with stored data (constraint "
                + e.getConstraintName() + ")", uri, List.of());
    }

    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e, UriInfo uri) {
        return challenge("Credentials are missing: use HTTP Basic (user) or a station API key", uri);
    }

    @ServerExceptionMapper
    public Response badCredentials(AuthenticationFailedException e, UriInfo uri) {
        Optional<String> errorPage = formErrorPage(uri);
        if (errorPage.isPresent()) {
            return Response.seeOther(URI.create(errorPage.get())).build();
        }
        return challenge("The credentials were not accepted", uri);
    }

    /**
     * Where a browser goes when the console's sign-in form was sent with a wrong password: back to
     * the form, which says so. Lazy authentication hands that failure to these mappers too.
     */
    private static Optional<String> formErrorPage(UriInfo uri) {
        Config config = ConfigProvider.getConfig();
        Optional<String> post = config.getOptionalValue("quarkus.http.auth.form.post-location", String.class);
        if (uri == null || post.isEmpty() || !post.get().equals(uri.getRequestUri().getPath())) {
            return Optional.empty();
        }
        return config.getOptionalValue("quarkus.http.auth.form.error-page", String.class);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        String detail = e.getMessage() == null || e.getMessage().isBlank()
                ? "Your role does not allow this request"
                : e.getMessage();
        return respond(ProblemType.FORBIDDEN, detail, uri, List.of());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        // The JSON body reader reports unreadable bodies as a bare 400 with the Jackson error as cause.
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonParseException parse) {
                return malformedJson(parse, uri);
            }
            if (cause instanceof JsonMappingException mapping) {
                return jsonMapping(mapping, uri);
            }
        }
        int status = e.getResponse().getStatus();
        ProblemType type = ProblemType.forStatus(status);
        Response.ResponseBuilder builder = Response.fromResponse(respond(type, e.getMessage(), uri, List.of()))
                .status(status);
        Object allow = e.getResponse().getHeaders().getFirst(HttpHeaders.ALLOW);
        if (allow != null) {
            builder.header(HttpHeaders.ALLOW, allow);
        }
        return builder.build();
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e, UriInfo uri) {
        if (StorageOutage.isCauseOf(e)) {
            return storageUnavailable(e, uri);
        }
        String incident = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected failure, incident %s, on %s", incident, uri.getPath());
        return respond(ProblemType.INTERNAL_ERROR,
                "The service failed unexpectedly; quote incident " + incident + " when reporting it", uri, List.of());
    }

    /**
     * The database is down, restarting or out of connections. The request's transaction did not
     * commit (unless the connection dropped during the commit itself, whose outcome nobody can
     * know); the client may send it again after Retry-After.
     */
    private static Response storageUnavailable(Throwable e, UriInfo uri) {
        LOG.warnf("Database unavailable on %s: %s", uri.getPath(), rootMessage(e));
        return Response.fromResponse(respond(ProblemType.STORAGE_UNAVAILABLE,
                "The database cannot be reached for now; retry after "
                        + STORAGE_RETRY_AFTER_SECONDS + " s", uri, List.of()))
                .header(HttpHeaders.RETRY_AFTER, STORAGE_RETRY_AFTER_SECONDS).build();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static Response challenge(String detail, UriInfo uri) {
        return Response.fromResponse(respond(ProblemType.UNAUTHENTICATED, detail, uri, List.of()))
                .header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE).build();
    }

    static Response respond(ProblemType type, String detail, UriInfo uri, List<Problem.Violation> violations) {
        Problem body = new Problem(type.uri(), type.title(), type.status(), detail,
                uri == null ? null : uri.getRequestUri().getRawPath(), violations);
        return Response.status(type.status()).type(Problem.MEDIA_TYPE).entity(body).build();
    }

    /** The request field a violation is about, without the Java method and parameter names. */
    private static String fieldOf(ConstraintViolation<?> violation) {
        List<String> names = new ArrayList<>();
        String parameter = null;
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
            } else if (node.getKind() == ElementKind.PROPERTY || node.getKind() == ElementKind.CONTAINER_ELEMENT) {
                String name = node.getName() == null ? "" : node.getName();
                if (node.getIndex() != null) {
                    name = name + "[" + node.getIndex() + "]";
                }
                names.add(name);
            }
        }
        if (!names.isEmpty()) {
            return String.join(".", names);
        }
        return parameter == null ? "request" : parameter;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable value";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
