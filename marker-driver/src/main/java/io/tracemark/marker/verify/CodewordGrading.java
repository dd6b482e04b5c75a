package io.tracemark.marker.verify;

/**
 * Grades per-codeword measurements the way ISO/IEC 15415 grades modulation and reflectance
 * margin: a weak codeword only costs grade when error correction could not make up for it.
 * For each grade level, codewords graded below it count as erasures and codewords read wrong as
 * errors; the notional unused error correction they leave caps that level. The result is the
 * best level reached. Counting the wrong codewords too means no codeword-based grade can be
 * better than the unused error correction actually left.
 */
final class CodewordGrading {

    private final int[] blockOf;
    private final int blocks;
    private final int correctable;

    /**
     * @param blockOf     the block of each codeword
     * @param blocks      how many blocks there are
     * @param correctable error correction codewords per block available for correction, d − p
     */
    CodewordGrading(int[] blockOf, int blocks, int correctable) {
        this.blockOf = blockOf.clone();
        this.blocks = blocks;
        this.correctable = correctable;
    }

    /** Unused error correction of the worst block, 1 − (e + 2t) / (d − p), never below 0. */
    double unusedErrorCorrection(boolean[] erased, boolean[] wrong) {
        int[] spent = new int[blocks];
        for (int codeword = 0; codeword < blockOf.length; codeword++) {
            // A codeword read wrong is an error wherever its grade puts it: the decoder has to
            // find it before it can fix it, which costs two error correction codewords.
            if (wrong[codeword]) {
                spent[blockOf[codeword]] += 2;
            } else if (erased[codeword]) {
                spent[blockOf[codeword]] += 1;
            }
        }
        int worst = 0;
        for (int used : spent) {
            worst = Math.max(worst, used);
        }
        return correctable <= 0 ? 0 : Math.max(0, 1 - (double) worst / correctable);
    }

    /** The grade of a parameter measured codeword by codeword. */
    Grade grade(Grade[] codewordGrades, boolean[] wrong) {
        Grade best = Grade.F;
        boolean[] erased = new boolean[codewordGrades.length];
        for (Grade level : new Grade[] {Grade.D, Grade.C, Grade.B, Grade.A}) {
            for (int codeword = 0; codeword < codewordGrades.length; codeword++) {
                erased[codeword] = !codewordGrades[codeword].atLeast(level);
            }
            Grade reached = Grade.lowest(level, Grading.unusedErrorCorrection(unusedErrorCorrection(erased, wrong)));
            if (reached.atLeast(best)) {
                best = reached;
            }
        }
        return best;
    }
}
