package io.tracemark.trace.marking;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

import io.tracemark.marker.verify.Grade;

/**
 * How many of a run's marks the camera graded A, B, C, D and F. A grade is counted when its mark is
 * verified; a verified item pushed off later at the reject gate keeps its grade in the count, as
 * the registry keeps it on the voided code. Runs without a camera have none.
 */
final class RunGrades {

    /** Best first, the order a line view shows them in. */
    private static final Grade[] ORDER = { Grade.A, Grade.B, Grade.C, Grade.D, Grade.F };

    private final AtomicLongArray counts = new AtomicLongArray(ORDER.length);

    /** The grades the registry holds for the run's codes, read in the caller's transaction. */
    static RunGrades stored(MarkingRun run) {
        RunGrades grades = new RunGrades();
        if (run.firstCounter == null) {
            return grades;
        }
        // The run's codes lie in its claimed counter range; run_id has no index of its own.
        @SuppressWarnings("unchecked")
        List<Object[]> rows = MarkingRun.getEntityManager().createNativeQuery("select grade, count(*) from code "
                + "where counter between ?1 and ?2 and run_id = ?3 and grade is not null group by grade")
                .setParameter(1, run.firstCounter).setParameter(2, run.claimCursor - 1).setParameter(3, run.id)
                .getResultList();
        for (Object[] row : rows) {
            grades.counts.addAndGet(index(Grade.valueOf(String.valueOf(row[0]))), ((Number) row[1]).longValue());
        }
        return grades;
    }

    void add(Grade grade) {
        counts.incrementAndGet(index(grade));
    }

    /** Grade letter to count, A to F, every grade present (zero where none). */
    Map<String, Long> view() {
        Map<String, Long> view = new LinkedHashMap<>();
        for (int i = 0; i < ORDER.length; i++) {
            view.put(ORDER[i].name(), counts.get(i));
        }
        return view;
    }

    private static int index(Grade grade) {
        for (int i = 0; i < ORDER.length; i++) {
            if (ORDER[i] == grade) {
                return i;
            }
        }
        throw new IllegalArgumentException("no such grade: " + grade);
    }
}
