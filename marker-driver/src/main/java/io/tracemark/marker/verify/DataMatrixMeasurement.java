package io.tracemark.marker.verify;

import java.util.EnumMap;
import java.util.Map;

import com.google.zxing.FormatException;
import com.google.zxing.NotFoundException;
import com.google.zxing.ResultMetadataType;
import com.google.zxing.common.DetectorResult;
import com.google.zxing.datamatrix.decoder.Version;
import com.google.zxing.datamatrix.detector.Detector;

/**
 * Measures a decoded Data Matrix: symbol contrast over the symbol found by the detector, and
 * unused error correction from ZXing's count. Modulation, reflectance margin, fixed pattern
 * damage and grid parameters need the exact module grid, which ZXing's Data Matrix detector
 * only estimates from the symbol's edges, so they are not measured.
 */
final class DataMatrixMeasurement {

    private static final int QUIET_ZONE = 1;

    private DataMatrixMeasurement() {
    }

    static Map<QualityParameter, ParameterGrade> measure(DecodedSymbol symbol) {
        Map<QualityParameter, ParameterGrade> grades = new EnumMap<>(QualityParameter.class);
        DetectorResult detected;
        Version version;
        try {
            // The reader does not say which symbol size it read; detecting again on the same
            // binarized image finds the same symbol and tells.
            detected = new Detector(symbol.binarized()).detect();
            version = Version.getVersionForDimensions(detected.getBits().getHeight(), detected.getBits().getWidth());
        } catch (NotFoundException | FormatException e) {
            return grades;
        }
        symbolContrast(symbol, detected, grades);
        unusedErrorCorrection(symbol, version, grades);
        return grades;
    }

    private static void symbolContrast(DecodedSymbol symbol, DetectorResult detected,
            Map<QualityParameter, ParameterGrade> grades) {
        ModuleGrid grid = ModuleGrid.dataMatrix(detected.getPoints(), detected.getBits().getHeight(),
                detected.getBits().getWidth());
        double[] region = grid.region(new ReflectanceImage(symbol.image()), QUIET_ZONE);
        if (region.length > 0) {
            double contrast = Reflectance.of(region).contrast();
            grades.put(QualityParameter.SYMBOL_CONTRAST, new ParameterGrade(QualityParameter.SYMBOL_CONTRAST,
                    contrast, Grading.symbolContrast(contrast)));
        }
    }

    /**
     * ZXing counts errors over the whole symbol, and the symbol's error correction codewords are
     * its total less the data codewords ZXing returns. For the larger symbols made of several
     * interleaved blocks this assumes the errors are spread evenly over them.
     */
    private static void unusedErrorCorrection(DecodedSymbol symbol, Version version,
            Map<QualityParameter, ParameterGrade> grades) {
        Object corrected = symbol.metadata(ResultMetadataType.ERRORS_CORRECTED);
        byte[] data = symbol.result().getRawBytes();
        if (!(corrected instanceof Integer errors) || data == null) {
            return;
        }
        int ecCodewords = version.getTotalCodewords() - data.length;
        if (ecCodewords <= 0) {
            return;
        }
        double unused = Math.max(0, 1 - 2.0 * errors / ecCodewords);
        grades.put(QualityParameter.UNUSED_ERROR_CORRECTION, new ParameterGrade(
                QualityParameter.UNUSED_ERROR_CORRECTION, unused, Grading.unusedErrorCorrection(unused)));
    }
}
