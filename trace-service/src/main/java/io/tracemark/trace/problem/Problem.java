package io.tracemark.trace.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem-details body. {@code type} is stable: clients branch on it, never on
 * {@code title} or {@code detail}, which are for people.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance,
        List<Violation> violations) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One rejected field of a request: its path in the request and what is wrong with it. */
    public record Violation(String field, String message) {
    }
}
