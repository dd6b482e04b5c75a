package io.tracemark.trace.problem;

import java.util.List;

/** Thrown by services to answer the client with a problem of a known type. */
public class ProblemException extends RuntimeException {

    private final ProblemType type;
    private final List<Problem.Violation> violations;

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, List.of());
    }

    public ProblemException(ProblemType type, String detail, List<Problem.Violation> violations) {
        super(detail);
        this.type = type;
        this.violations = List.copyOf(violations);
    }

    public static ProblemException notFound(String what, Object id) {
        return new ProblemException(ProblemType.NOT_FOUND, what + " " + id + " does not exist");
    }

    public static ProblemException invalid(String field, String message) {
        return new ProblemException(ProblemType.VALIDATION_FAILED, field + ": " + message,
                List.of(new Problem.Violation(field, message)));
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(ProblemType.CONFLICT, detail);
    }

    public ProblemType type() {
        return type;
    }

    public List<Problem.Violation> violations() {
        return violations;
    }
}
