package io.tracemark.bench.ledger;

import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/** What was measured, as recorded; {@link Report} turns it into the results file. */
final class Figures {

    private Figures() {
    }

    /** One capture request: its document's kind and size, and the client-side time to the 202. */
    record Capture(Story.Kind kind, int events, int epcs, long nanos, String captureId) {

        double seconds() {
            return nanos / 1e9;
        }
    }

    /**
     * Loading one batch's story: every capture, the wall-clock time of the whole load, and the
     * machine's load averages (1, 5, 15 minutes) when it ended.
     */
    record Load(List<Capture> captures, long nanos, String loadAverages) {

        long events() {
            return sum(c -> true, Capture::events);
        }

        long epcs() {
            return sum(c -> true, Capture::epcs);
        }

        double seconds() {
            return nanos / 1e9;
        }

        long sum(Predicate<Capture> which, ToLongFunction<Capture> what) {
            return captures.stream().filter(which).mapToLong(what).sum();
        }

        /** Events/s of each document of a kind, on its own clock (concurrent captures overlap). */
        List<Double> eventRates(Story.Kind kind) {
            return captures.stream().filter(c -> c.kind() == kind).map(c -> c.events() / c.seconds()).toList();
        }

        List<Double> epcRates(Story.Kind kind) {
            return captures.stream().filter(c -> c.kind() == kind).map(c -> c.epcs() / c.seconds()).toList();
        }
    }

    /** One document captured through the API alone, then the same rows inserted raw. */
    record CaptureRound(Capture api, long rawNanos, int epcRows) {

        double rawSeconds() {
            return rawNanos / 1e9;
        }
    }

    record TraceSample(long apiNanos, long rawNanos) {
    }

    record RecallRound(long jsonItems, long jsonNanos, long jsonBytes, long csvItems, long csvNanos, long rawItems,
            long rawNanos) {
    }

    /** Everything measured once the ledger held {@code items} items. */
    record Checkpoint(long items, long events, long epcRows, String databaseSize, Load load, List<CaptureRound> rounds,
            List<TraceSample> traces, List<RecallRound> recalls, String loadAverages) {
    }
}
