package io.tracemark.marker.verify;

import java.util.Objects;

/**
 * One graded quality parameter: what was measured and the grade it earned.
 *
 * @param parameter which ISO/IEC 15415 parameter
 * @param value     the measured value, in the unit {@link QualityParameter} documents
 * @param grade     the parameter's grade
 */
public record ParameterGrade(QualityParameter parameter, double value, Grade grade) {

    public ParameterGrade {
        Objects.requireNonNull(parameter, "parameter");
        Objects.requireNonNull(grade, "grade");
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException(parameter.label() + " has no value");
        }
    }

    /** For example {@code symbol contrast 18% (grade F)}. */
    public String describe() {
        return parameter.label() + " " + parameter.format(value) + " (grade " + grade + ")";
    }
}
