package io.tracemark.marker.verify;

import java.util.Locale;

/**
 * The ISO/IEC 15415 print quality parameters Tracemark grades from a photo of a mark, named as
 * in the standard. Which of them a {@link Verification} carries depends on what could be measured
 * for the symbol at hand; docs/markers/verification.md says how each is measured.
 */
public enum QualityParameter {
    /** Whether the symbol decodes at all: value 1 (grade A) or 0 (grade F). */
    DECODE("decode"),
    /** Rmax − Rmin over the symbol and its quiet zone, as a fraction of full reflectance. */
    SYMBOL_CONTRAST("symbol contrast"),
    /** Value: the lowest codeword modulation; the grade lets error correction make up for weak codewords. */
    MODULATION("modulation"),
    /** Like modulation, but negative for a module seen on the wrong side of the global threshold. */
    REFLECTANCE_MARGIN("reflectance margin"),
    /** Value: the most wrong-colour modules in one finder pattern or timing pattern. */
    FIXED_PATTERN_DAMAGE("fixed pattern damage"),
    /** |X − Y| / mean(X, Y) of the module pitch along the two axes. */
    AXIAL_NON_UNIFORMITY("axial non-uniformity"),
    /** Share of the error correction capacity left over in the worst block. */
    UNUSED_ERROR_CORRECTION("unused error correction");

    private final String label;

    QualityParameter(String label) {
        this.label = label;
    }

    /** The parameter's name in ISO/IEC 15415, lower case, for messages. */
    public String label() {
        return label;
    }

    /** The value the way an operator reads it: percentages for ratios of reflectance or capacity. */
    String format(double value) {
        return switch (this) {
            case DECODE -> value > 0 ? "passed" : "failed";
            case SYMBOL_CONTRAST, UNUSED_ERROR_CORRECTION -> String.format(Locale.ROOT, "%.0f%%", value * 100);
            case AXIAL_NON_UNIFORMITY -> String.format(Locale.ROOT, "%.1f%%", value * 100);
            case MODULATION, REFLECTANCE_MARGIN -> String.format(Locale.ROOT, "%.2f at the weakest codeword", value);
            case FIXED_PATTERN_DAMAGE -> String.format(Locale.ROOT, "%.0f damaged modules", value);
        };
    }
}
