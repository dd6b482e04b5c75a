package io.tracemark.marker.verify;

/**
 * The reflectance extremes of a symbol region and what follows from them (ISO/IEC 15415):
 * symbol contrast SC = Rmax − Rmin, the global threshold GT = (Rmax + Rmin) / 2, and a module's
 * modulation 2 |R − GT| / SC.
 */
record Reflectance(double min, double max) {

    static Reflectance of(double[] samples) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double sample : samples) {
            min = Math.min(min, sample);
            max = Math.max(max, sample);
        }
        return new Reflectance(min, max);
    }

    double contrast() {
        return max - min;
    }

    double globalThreshold() {
        return (max + min) / 2;
    }

    boolean readsDark(double reflectance) {
        return reflectance < globalThreshold();
    }

    double modulation(double reflectance) {
        return 2 * Math.abs(reflectance - globalThreshold()) / contrast();
    }
}
