package io.tracemark.marker.verify;

/**
 * Print quality grade in the ISO/IEC 15415 letter scale: A (4) best, F (0) unreadable.
 * The overall grade of a symbol is the lowest of its parameter grades.
 */
public enum Grade {
    F(0), D(1), C(2), B(3), A(4);

    private final int numeric;

    Grade(int numeric) {
        this.numeric = numeric;
    }

    public int numeric() {
        return numeric;
    }

    public boolean atLeast(Grade other) {
        return numeric >= other.numeric;
    }

    public static Grade lowest(Grade a, Grade b) {
        return a.numeric <= b.numeric ? a : b;
    }
}
