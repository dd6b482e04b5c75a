package io.tracemark.marker.verify;

import static io.tracemark.marker.verify.QualityParameter.AXIAL_NON_UNIFORMITY;
import static io.tracemark.marker.verify.QualityParameter.DECODE;
import static io.tracemark.marker.verify.QualityParameter.FIXED_PATTERN_DAMAGE;
import static io.tracemark.marker.verify.QualityParameter.MODULATION;
import static io.tracemark.marker.verify.QualityParameter.REFLECTANCE_MARGIN;
import static io.tracemark.marker.verify.QualityParameter.SYMBOL_CONTRAST;
import static io.tracemark.marker.verify.QualityParameter.UNUSED_ERROR_CORRECTION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.datamatrix.DataMatrixWriter;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;

/** Grades of symbols drawn here with ZXing, so each test knows exactly what the photo holds. */
class MarkVerifierTest {

    private static final String URI = "http://localhost:8080/01/09506000134352/21/7KQ4M2XRT9PZ3CNF6A";
    private static final int QUIET_ZONE = 4;
    private static final int MODULE = 8;

    private final MarkVerifier verifier = new MarkVerifier();

    @Test
    void cleanSymbolDecodesMatchesAndGradesAOnEveryParameter() {
        Verification verification = verifier.verify(draw(qr(URI), MODULE, MODULE, 0.0, 1.0), URI);

        assertTrue(verification.decoded());
        assertEquals(URI, verification.decodedText());
        assertTrue(verification.matches(), verification::toString);
        assertEquals(Grade.A, verification.grade());
        assertEquals(EnumSet.of(DECODE, SYMBOL_CONTRAST, MODULATION, REFLECTANCE_MARGIN, FIXED_PATTERN_DAMAGE,
                AXIAL_NON_UNIFORMITY, UNUSED_ERROR_CORRECTION), verification.parameters().keySet());
        verification.parameters().values().forEach(p -> assertEquals(Grade.A, p.grade(), p.describe()));
        assertEquals(1.0, value(verification, SYMBOL_CONTRAST), 0.001);
        assertEquals(1.0, value(verification, UNUSED_ERROR_CORRECTION), 0.001);
        assertTrue(verification.passes(Grade.A));
    }

    @Test
    void symbolHoldingAnotherCodeDoesNotMatchAndGradesF() {
        String other = URI.replace("7KQ4", "7KQ5");

        Verification verification = verifier.verify(draw(qr(URI), MODULE, MODULE, 0.0, 1.0), other);

        assertTrue(verification.decoded());
        assertEquals(URI, verification.decodedText());
        assertFalse(verification.matches());
        assertEquals(Grade.F, verification.grade());
        assertEquals("decoded text differs from the code sent", verification.reason());
        assertFalse(verification.passes(Grade.F));
    }

    @Test
    void blankPhotoHasNoSymbol() {
        BufferedImage blank = new BufferedImage(328, 328, BufferedImage.TYPE_BYTE_GRAY);

        Verification verification = verifier.verify(blank, URI);

        assertFalse(verification.decoded());
        assertNull(verification.decodedText());
        assertFalse(verification.matches());
        assertEquals(Grade.F, verification.grade());
        assertEquals("no symbol found", verification.reason());
        assertEquals(Grade.F, verification.parameter(DECODE).orElseThrow().grade());
        assertFalse(verification.passes(Grade.F));
    }

    @ParameterizedTest(name = "dark {0}, light {1}: grade {2}")
    @CsvSource({"0.15, 0.80, B", "0.25, 0.75, C", "0.40, 0.70, D", "0.45, 0.60, F"})
    void lowerContrastLowersTheGrade(double dark, double light, Grade expected) {
        Verification verification = verifier.verify(draw(qr(URI), MODULE, MODULE, dark, light), URI);

        assertTrue(verification.matches(), verification::toString);
        assertEquals(light - dark, value(verification, SYMBOL_CONTRAST), 0.01);
        assertEquals(expected, verification.parameter(SYMBOL_CONTRAST).orElseThrow().grade());
        assertEquals(Grade.A, verification.parameter(MODULATION).orElseThrow().grade(), "modules stay uniform");
        assertEquals(expected, verification.grade());
        assertTrue(verification.reason().startsWith("symbol contrast "), verification.reason());
    }

    @Test
    void reasonGivesTheContrastThatFailed() {
        Verification verification = verifier.verify(draw(qr(URI), MODULE, MODULE, 0.45, 0.60), URI);

        assertEquals("symbol contrast 15% (grade F)", verification.reason());
        assertFalse(verification.passes(Grade.D));
    }

    @Test
    void lightOnDarkMarkDecodesAndGrades() {
        Verification verification = verifier.verify(draw(qr(URI), MODULE, MODULE, 0.9, 0.1), URI);

        assertTrue(verification.matches(), verification::toString);
        assertEquals(Grade.A, verification.grade(), verification.reason());
        assertEquals(Grade.A, verification.parameter(REFLECTANCE_MARGIN).orElseThrow().grade());
    }

    @Test
    void mirroredSymbolDecodesAndGrades() {
        BitMatrix symbol = qr(URI);
        BitMatrix mirrored = new BitMatrix(symbol.getWidth(), symbol.getHeight());
        for (int y = 0; y < symbol.getHeight(); y++) {
            for (int x = 0; x < symbol.getWidth(); x++) {
                if (symbol.get(symbol.getWidth() - 1 - x, y)) {
                    mirrored.set(x, y);
                }
            }
        }

        Verification verification = verifier.verify(draw(mirrored, MODULE, MODULE, 0.0, 1.0), URI);

        assertTrue(verification.matches(), verification::toString);
        assertEquals(Grade.A, verification.grade(), verification.reason());
    }

    @Test
    void wrongCodewordsInOneBlockUseUpErrorCorrection() {
        // Version 4-M: two blocks of 18 error correction codewords. Five wrong codewords in one
        // block leave 1 − 2·5/18 = 44 % of it: grade C.
        BitMatrix symbol = qr(URI);
        flipOneModuleInEach(symbol, codewordsOfBlock(0, 5));

        Verification verification = verifier.verify(draw(symbol, MODULE, MODULE, 0.0, 1.0), URI);

        assertTrue(verification.matches(), verification::toString);
        assertEquals(1 - 10.0 / 18, value(verification, UNUSED_ERROR_CORRECTION), 0.001);
        assertEquals(Grade.C, verification.parameter(UNUSED_ERROR_CORRECTION).orElseThrow().grade());
        assertEquals(Grade.C, verification.grade());
        assertTrue(value(verification, REFLECTANCE_MARGIN) < 0, "a module was seen on the wrong side");
    }

    @Test
    void damagedFinderPatternIsFixedPatternDamage() {
        BitMatrix symbol = qr(URI);
        // Two modules of the top-left finder's dark ring, off the lines through its centre that
        // ZXing's detector checks: still found, but damaged.
        symbol.flip(QUIET_ZONE + 5, QUIET_ZONE);
        symbol.flip(QUIET_ZONE + 6, QUIET_ZONE + 1);

        Verification verification = verifier.verify(draw(symbol, MODULE, MODULE, 0.0, 1.0), URI);

        assertTrue(verification.matches(), verification::toString);
        assertEquals(2, value(verification, FIXED_PATTERN_DAMAGE));
        assertEquals(Grade.C, verification.grade());
        assertEquals("fixed pattern damage 2 damaged modules (grade C)", verification.reason());
    }

    @Test
    void stretchedSymbolHasAxialNonUniformity() {
        // Modules 9 pixels wide and 8 high: |9 − 8| / 8.5 = 11.8 %, grade D.
        Verification verification = verifier.verify(draw(qr(URI), 9, 8, 0.0, 1.0), URI);

        assertTrue(verification.matches(), verification::toString);
        assertEquals(1 / 8.5, value(verification, AXIAL_NON_UNIFORMITY), 0.01);
        assertEquals(Grade.D, verification.parameter(AXIAL_NON_UNIFORMITY).orElseThrow().grade());
    }

    @Test
    void dataMatrixDecodesWithContrastAndErrorCorrectionMeasured() throws Exception {
        BitMatrix symbol = new DataMatrixWriter().encode(URI, BarcodeFormat.DATA_MATRIX, 0, 0);
        BitMatrix withQuietZone = new BitMatrix(symbol.getWidth() + 4, symbol.getHeight() + 4);
        for (int y = 0; y < symbol.getHeight(); y++) {
            for (int x = 0; x < symbol.getWidth(); x++) {
                if (symbol.get(x, y)) {
                    withQuietZone.set(x + 2, y + 2);
                }
            }
        }

        Verification verification = verifier.verify(draw(withQuietZone, MODULE, MODULE, 0.2, 0.8), URI);

        assertTrue(verification.matches(), verification::toString);
        assertEquals(EnumSet.of(DECODE, SYMBOL_CONTRAST, UNUSED_ERROR_CORRECTION), verification.parameters().keySet());
        assertEquals(0.6, value(verification, SYMBOL_CONTRAST), 0.01);
        assertEquals(Grade.B, verification.grade());
    }

    @Test
    void oneVerifierServesManyThreads() throws Exception {
        List<BufferedImage> images = List.of(draw(qr(URI), MODULE, MODULE, 0.0, 1.0),
                draw(qr(URI), MODULE, MODULE, 0.4, 0.7), draw(qr(URI), 9, 8, 0.9, 0.1));
        List<Verification> alone = images.stream().map(image -> verifier.verify(image, URI)).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Verification>> together = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                BufferedImage image = images.get(i % images.size());
                together.add(pool.submit(() -> verifier.verify(image, URI)));
            }
            for (int i = 0; i < together.size(); i++) {
                assertEquals(alone.get(i % images.size()), together.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aMarkThatDoesNotMatchCannotCarryAGrade() {
        assertThrows(IllegalArgumentException.class,
                () -> new Verification(true, "other", false, Grade.B, Map.of(), "decoded text differs"));
        assertThrows(IllegalArgumentException.class,
                () -> new Verification(false, null, true, Grade.A, Map.of(), "no symbol found"));
    }

    private static double value(Verification verification, QualityParameter parameter) {
        return verification.parameter(parameter).orElseThrow(() -> new AssertionError(parameter + " missing")).value();
    }

    private static BitMatrix qr(String content) {
        try {
            return new QRCodeWriter().encode(content, BarcodeFormat.QR_CODE, 0, 0,
                    Map.of(EncodeHintType.MARGIN, QUIET_ZONE, EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The first {@code count} codewords of a block of the URI's version 4-M symbol. */
    private static List<Integer> codewordsOfBlock(int block, int count) {
        QrCodewords codewords = QrCodewords.of(QrCodewords.versionFor(ErrorCorrectionLevel.M, 64),
                ErrorCorrectionLevel.M, new byte[64]);
        List<Integer> chosen = new ArrayList<>();
        for (int i = 0; i < codewords.count() && chosen.size() < count; i++) {
            if (codewords.blockOf(i) == block) {
                chosen.add(i);
            }
        }
        return chosen;
    }

    private static void flipOneModuleInEach(BitMatrix symbol, List<Integer> codewords) {
        QrLayout layout = QrLayout.of(QrCodewords.versionFor(ErrorCorrectionLevel.M, 64));
        List<Integer> pending = new ArrayList<>(codewords);
        for (int row = 0; row < layout.dimension() && !pending.isEmpty(); row++) {
            for (int column = 0; column < layout.dimension(); column++) {
                if (pending.remove((Integer) layout.codewordAt(row, column))) {
                    symbol.flip(QUIET_ZONE + column, QUIET_ZONE + row);
                }
            }
        }
        assertTrue(pending.isEmpty());
    }

    /** Each module as a block of pixels; reflectance 0 is black, 1 white. */
    private static BufferedImage draw(BitMatrix modules, int moduleWidth, int moduleHeight, double dark, double light) {
        BufferedImage image = new BufferedImage(modules.getWidth() * moduleWidth, modules.getHeight() * moduleHeight,
                BufferedImage.TYPE_BYTE_GRAY);
        int darkLevel = (int) Math.round(dark * 255);
        int lightLevel = (int) Math.round(light * 255);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                boolean isDark = modules.get(x / moduleWidth, y / moduleHeight);
                image.getRaster().setSample(x, y, 0, isDark ? darkLevel : lightLevel);
            }
        }
        return image;
    }
}
