package io.tracemark.bench.support;

import java.util.Collection;
import java.util.Locale;

/** Numbers as the results file shows them: rounded for reading, "n/a" where nothing was measured. */
public final class Text {

    private Text() {
    }

    public static String num(double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    public static String whole(double value) {
        return num(value, 0);
    }

    public static String ratio(double value) {
        return num(value, 3);
    }

    public static String percent(double share) {
        return Double.isNaN(share) ? "n/a" : String.format(Locale.ROOT, "%.0f %%", share * 100);
    }

    /** "median (min to max)" of repetitions. */
    public static String spread(Collection<Double> values, int decimals) {
        double median = Stats.median(values);
        double min = Stats.min(values);
        double max = Stats.max(values);
        if (Double.isNaN(median)) {
            return "n/a";
        }
        if (values.size() < 2 || min == max) {
            return num(median, decimals);
        }
        return num(median, decimals) + " (" + num(min, decimals) + " to " + num(max, decimals) + ")";
    }

    /** "1 underrun", "3 underruns". */
    public static String count(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    public static String meets(boolean met) {
        return met ? "meets" : "misses";
    }
}
