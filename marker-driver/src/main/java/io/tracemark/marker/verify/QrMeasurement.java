package io.tracemark.marker.verify;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import com.google.zxing.ResultMetadataType;
import com.google.zxing.ResultPoint;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.decoder.Version;

/**
 * Measures a decoded QR code against ISO/IEC 15415: symbol contrast and axial non-uniformity from
 * the grid the detector found; modulation, reflectance margin, fixed pattern damage and unused
 * error correction by comparing every module with the symbol rebuilt from the decoded codewords.
 */
final class QrMeasurement {

    private static final int QUIET_ZONE = 4;
    /** Above this share of modules seen wrong under the best mask, the grid is not the symbol's. */
    private static final double MAX_MISMATCH = 0.30;

    private final DecodedSymbol symbol;
    private final Map<QualityParameter, ParameterGrade> grades = new EnumMap<>(QualityParameter.class);

    private QrMeasurement(DecodedSymbol symbol) {
        this.symbol = symbol;
    }

    static Map<QualityParameter, ParameterGrade> measure(DecodedSymbol symbol) {
        QrMeasurement measurement = new QrMeasurement(symbol);
        measurement.run();
        return measurement.grades;
    }

    private void run() {
        Object levelName = symbol.metadata(ResultMetadataType.ERROR_CORRECTION_LEVEL);
        byte[] data = symbol.result().getRawBytes();
        if (levelName == null || data == null) {
            return;
        }
        ErrorCorrectionLevel level = ErrorCorrectionLevel.valueOf(levelName.toString());
        Version version = QrCodewords.versionFor(level, data.length);
        if (version == null) {
            return;
        }
        QrCodewords codewords = QrCodewords.of(version, level, data);
        zxingErrorCorrection(codewords);
        ResultPoint[] points = symbol.result().getResultPoints();
        int dimension = version.getDimensionForVersion();
        axialNonUniformity(points, dimension);
        ModuleGrid grid = ModuleGrid.qr(points, dimension);
        ReflectanceImage image = new ReflectanceImage(symbol.image());
        double[] region = grid.region(image, QUIET_ZONE);
        double[][] modules = grid.modules(image);
        if (modules == null || region.length == 0) {
            return;
        }
        Reflectance reflectance = Reflectance.of(region);
        put(QualityParameter.SYMBOL_CONTRAST, reflectance.contrast(), Grading.symbolContrast(reflectance.contrast()));
        if (reflectance.contrast() > 0) {
            compareModules(QrLayout.of(version), level, codewords, modules, reflectance);
        }
    }

    /**
     * ZXing reports errors corrected over the whole symbol, not per block. The worst block holds at
     * least its even share, so that share gives an upper bound on the worst block's unused error
     * correction: this reading can only flatter, never wrongly fail, a symbol.
     */
    private void zxingErrorCorrection(QrCodewords codewords) {
        Object corrected = symbol.metadata(ResultMetadataType.ERRORS_CORRECTED);
        if (corrected instanceof Integer errors) {
            int worstBlock = (errors + codewords.blocks() - 1) / codewords.blocks();
            double unused = Math.max(0, 1 - 2.0 * worstBlock / codewords.correctable());
            putUnusedErrorCorrection(unused);
        }
    }

    /** Module pitch along each axis from the finder centres, which sit d − 7 modules apart. */
    private void axialNonUniformity(ResultPoint[] points, int dimension) {
        double across = ResultPoint.distance(points[1], points[2]) / (dimension - 7);
        double down = ResultPoint.distance(points[1], points[0]) / (dimension - 7);
        double nonUniformity = Math.abs(across - down) / ((across + down) / 2);
        put(QualityParameter.AXIAL_NON_UNIFORMITY, nonUniformity, Grading.axialNonUniformity(nonUniformity));
    }

    private void compareModules(QrLayout layout, ErrorCorrectionLevel level, QrCodewords codewords,
            double[][] modules, Reflectance reflectance) {
        boolean[][] seenDark = new boolean[modules.length][modules.length];
        for (int row = 0; row < modules.length; row++) {
            for (int column = 0; column < modules.length; column++) {
                // The symbol's dark modules are the light ones on a light-on-dark mark.
                seenDark[row][column] = reflectance.readsDark(modules[row][column]) != symbol.lightOnDark();
            }
        }
        boolean[][] intended = bestMask(layout, level, codewords, seenDark);
        if (intended == null) {
            return;
        }
        fixedPatternDamage(layout, intended, seenDark);
        codewordParameters(layout, codewords, modules, reflectance, intended, seenDark);
    }

    /**
     * The mask is not reported by ZXing; the one whose symbol the photo agrees with best is it,
     * since every other mask disagrees on about half the data modules. Null if none fits.
     */
    private static boolean[][] bestMask(QrLayout layout, ErrorCorrectionLevel level, QrCodewords codewords,
            boolean[][] seenDark) {
        boolean[][] best = null;
        int fewest = Integer.MAX_VALUE;
        byte[] stream = codewords.interleaved();
        for (int mask = 0; mask < 8; mask++) {
            boolean[][] candidate = layout.symbol(level, mask, stream);
            int mismatches = 0;
            for (int row = 0; row < candidate.length; row++) {
                for (int column = 0; column < candidate.length; column++) {
                    mismatches += candidate[row][column] != seenDark[row][column] ? 1 : 0;
                }
            }
            if (mismatches < fewest) {
                fewest = mismatches;
                best = candidate;
            }
        }
        int modules = layout.dimension() * layout.dimension();
        return fewest <= MAX_MISMATCH * modules ? best : null;
    }

    private void fixedPatternDamage(QrLayout layout, boolean[][] intended, boolean[][] seenDark) {
        int worst = 0;
        for (List<QrLayout.Module> segment : layout.fixedPatterns()) {
            int damaged = 0;
            for (QrLayout.Module module : segment) {
                damaged += intended[module.row()][module.column()] != seenDark[module.row()][module.column()] ? 1 : 0;
            }
            worst = Math.max(worst, damaged);
        }
        put(QualityParameter.FIXED_PATTERN_DAMAGE, worst, Grading.damagedModules(worst));
    }

    /** Modulation, reflectance margin and our own count of wrong codewords, block by block. */
    private void codewordParameters(QrLayout layout, QrCodewords codewords, double[][] modules,
            Reflectance reflectance, boolean[][] intended, boolean[][] seenDark) {
        int count = codewords.count();
        double[] modulation = filled(count);
        double[] margin = filled(count);
        boolean[] wrong = new boolean[count];
        for (int row = 0; row < modules.length; row++) {
            for (int column = 0; column < modules.length; column++) {
                int codeword = layout.codewordAt(row, column);
                if (codeword < 0) {
                    continue;
                }
                boolean misread = intended[row][column] != seenDark[row][column];
                double moduleModulation = reflectance.modulation(modules[row][column]);
                modulation[codeword] = Math.min(modulation[codeword], moduleModulation);
                margin[codeword] = Math.min(margin[codeword], misread ? -moduleModulation : moduleModulation);
                wrong[codeword] |= misread;
            }
        }
        int[] blockOf = new int[count];
        for (int i = 0; i < count; i++) {
            blockOf[i] = codewords.blockOf(i);
        }
        CodewordGrading grading = new CodewordGrading(blockOf, codewords.blocks(), codewords.correctable());
        put(QualityParameter.MODULATION, min(modulation), grading.grade(grades(modulation), wrong));
        put(QualityParameter.REFLECTANCE_MARGIN, min(margin), grading.grade(grades(margin), wrong));
        putUnusedErrorCorrection(grading.unusedErrorCorrection(new boolean[count], wrong));
    }

    /** Two readings of unused error correction (ours and ZXing's) may exist: the lower one stands. */
    private void putUnusedErrorCorrection(double unused) {
        ParameterGrade earlier = grades.get(QualityParameter.UNUSED_ERROR_CORRECTION);
        double lower = earlier == null ? unused : Math.min(earlier.value(), unused);
        put(QualityParameter.UNUSED_ERROR_CORRECTION, lower, Grading.unusedErrorCorrection(lower));
    }

    private void put(QualityParameter parameter, double value, Grade grade) {
        grades.put(parameter, new ParameterGrade(parameter, value, grade));
    }

    private static Grade[] grades(double[] codewordValues) {
        Grade[] grades = new Grade[codewordValues.length];
        for (int i = 0; i < grades.length; i++) {
            grades[i] = Grading.modulation(codewordValues[i]);
        }
        return grades;
    }

    private static double[] filled(int count) {
        double[] values = new double[count];
        Arrays.fill(values, Double.POSITIVE_INFINITY);
        return values;
    }

    private static double min(double[] values) {
        double min = Double.POSITIVE_INFINITY;
        for (double value : values) {
            min = Math.min(min, value);
        }
        return min;
    }
}
