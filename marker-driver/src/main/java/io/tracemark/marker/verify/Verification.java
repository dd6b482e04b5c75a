package io.tracemark.marker.verify;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the verifier found on one photographed mark.
 *
 * @param decoded     a symbol was found and decoded
 * @param decodedText the text the symbol holds; null when nothing decoded
 * @param matches     the text equals, character for character, the content sent to the marker
 * @param grade       the overall grade: the lowest parameter grade, and F when the mark does not match
 * @param parameters  every parameter that could be measured, with its value and grade
 * @param reason      why the grade is what it is, for the operator and the log
 */
public record Verification(boolean decoded, String decodedText, boolean matches, Grade grade,
        Map<QualityParameter, ParameterGrade> parameters, String reason) {

    public Verification {
        Objects.requireNonNull(grade, "grade");
        Objects.requireNonNull(reason, "reason");
        if (decoded != (decodedText != null)) {
            throw new IllegalArgumentException("decoded text must be present exactly when the symbol decoded");
        }
        if (matches && !decoded) {
            throw new IllegalArgumentException("a mark that did not decode cannot match");
        }
        if (!matches && grade != Grade.F) {
            // The grade is a promise about the code we issued; a different or unreadable code earns none.
            throw new IllegalArgumentException("a mark that does not match grades F, not " + grade);
        }
        parameters = copy(parameters);
    }

    /** The result for an image in which no symbol could be decoded. */
    public static Verification notDecoded() {
        ParameterGrade decode = new ParameterGrade(QualityParameter.DECODE, 0, Grade.F);
        return new Verification(false, null, false, Grade.F, Map.of(QualityParameter.DECODE, decode),
                "no symbol found");
    }

    /** True when the mark holds the code sent and its grade is at least {@code minimum}. */
    public boolean passes(Grade minimum) {
        return matches && grade.atLeast(minimum);
    }

    /** The parameter's grade, or empty when it could not be measured on this mark. */
    public Optional<ParameterGrade> parameter(QualityParameter parameter) {
        return Optional.ofNullable(parameters.get(parameter));
    }

    private static Map<QualityParameter, ParameterGrade> copy(Map<QualityParameter, ParameterGrade> parameters) {
        Map<QualityParameter, ParameterGrade> copy = new EnumMap<>(QualityParameter.class);
        parameters.forEach((parameter, grade) -> {
            if (grade.parameter() != parameter) {
                throw new IllegalArgumentException(grade.parameter() + " filed under " + parameter);
            }
            copy.put(parameter, grade);
        });
        return Collections.unmodifiableMap(copy);
    }
}
