package io.tracemark.marker.verify;

/** The ISO/IEC 15415 grade thresholds, one method per kind of measurement. */
final class Grading {

    private Grading() {
    }

    /** Symbol contrast: A ≥ 70 %, B ≥ 55 %, C ≥ 40 %, D ≥ 20 %. */
    static Grade symbolContrast(double contrast) {
        return atLeast(contrast, 0.70, 0.55, 0.40, 0.20);
    }

    /** Modulation and reflectance margin of a module or codeword: A ≥ 0.50, B ≥ 0.40, C ≥ 0.30, D ≥ 0.20. */
    static Grade modulation(double modulation) {
        return atLeast(modulation, 0.50, 0.40, 0.30, 0.20);
    }

    /** Unused error correction: A ≥ 0.62, B ≥ 0.50, C ≥ 0.37, D ≥ 0.25. */
    static Grade unusedErrorCorrection(double unused) {
        return atLeast(unused, 0.62, 0.50, 0.37, 0.25);
    }

    /** Axial non-uniformity: A ≤ 0.06, B ≤ 0.08, C ≤ 0.10, D ≤ 0.12. */
    static Grade axialNonUniformity(double nonUniformity) {
        return atMost(nonUniformity, 0.06, 0.08, 0.10, 0.12);
    }

    /** Damaged modules in one fixed pattern segment: none A, 1 B, 2 C, 3 D, more F. */
    static Grade damagedModules(int damaged) {
        return atMost(damaged, 0, 1, 2, 3);
    }

    private static Grade atLeast(double value, double a, double b, double c, double d) {
        if (value >= a) {
            return Grade.A;
        }
        if (value >= b) {
            return Grade.B;
        }
        if (value >= c) {
            return Grade.C;
        }
        return value >= d ? Grade.D : Grade.F;
    }

    private static Grade atMost(double value, double a, double b, double c, double d) {
        return atLeast(-value, -a, -b, -c, -d);
    }
}
