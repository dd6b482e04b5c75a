package io.tracemark.marker.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumMap;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.google.zxing.EncodeHintType;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.decoder.Decoder;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.encoder.ByteMatrix;
import com.google.zxing.qrcode.encoder.Encoder;
import com.google.zxing.qrcode.encoder.QRCode;

/**
 * The verifier compares each photographed module with the symbol it rebuilds from the decoded
 * codewords. That rebuild must be exactly the symbol an encoder makes, for every structure the
 * standard has: one block, blocks of two lengths, version information, each level and mask.
 */
class QrLayoutTest {

    private static final String URI = "http://localhost:8080/01/09506000134352/21/7KQ4M2XRT9PZ3CNF6A";

    @ParameterizedTest(name = "{0}, URI repeated {1} times")
    @CsvSource({
            "L, 1", "M, 1", "Q, 1", "H, 1",   // version 3 to 6: one or two blocks
            "M, 3", "H, 4", "Q, 8", "L, 20"}) // version 7 and up: version information, two block lengths
    void rebuildsTheSymbolTheEncoderMakes(ErrorCorrectionLevel level, int repeat) throws Exception {
        assertRebuilt(Encoder.encode(URI.repeat(repeat), level, hints(-1)));
    }

    @ParameterizedTest(name = "version 1 at {0}")
    @ValueSource(strings = {"L", "M", "Q", "H"})
    void rebuildsTheSmallestSymbol(ErrorCorrectionLevel level) throws Exception {
        assertRebuilt(Encoder.encode("7", level, hints(-1)));
    }

    @ParameterizedTest(name = "mask {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7})
    void rebuildsEveryMask(int mask) throws Exception {
        QRCode encoded = Encoder.encode(URI, ErrorCorrectionLevel.M, hints(mask));
        assertEquals(mask, encoded.getMaskPattern());
        assertRebuilt(encoded);
    }

    private static void assertRebuilt(QRCode encoded) throws Exception {
        BitMatrix symbol = toBitMatrix(encoded.getMatrix());
        // The decoder unmasks the matrix it reads in place, so it gets a copy.
        byte[] data = new Decoder().decode(symbol.clone()).getRawBytes();
        ErrorCorrectionLevel level = encoded.getECLevel();

        assertEquals(encoded.getVersion(), QrCodewords.versionFor(level, data.length));
        boolean[][] rebuilt = QrLayout.of(encoded.getVersion()).symbol(level, encoded.getMaskPattern(),
                QrCodewords.of(encoded.getVersion(), level, data).interleaved());

        for (int row = 0; row < symbol.getHeight(); row++) {
            boolean[] expected = new boolean[symbol.getWidth()];
            for (int column = 0; column < expected.length; column++) {
                expected[column] = symbol.get(column, row);
            }
            assertArrayEquals(expected, rebuilt[row], "row " + row + " of version " + encoded.getVersion());
        }
    }

    private static Map<EncodeHintType, Object> hints(int mask) {
        Map<EncodeHintType, Object> hints = new EnumMap<>(EncodeHintType.class);
        hints.put(EncodeHintType.CHARACTER_SET, "UTF-8");
        if (mask >= 0) {
            hints.put(EncodeHintType.QR_MASK_PATTERN, mask);
        }
        return hints;
    }

    private static BitMatrix toBitMatrix(ByteMatrix modules) {
        BitMatrix matrix = new BitMatrix(modules.getWidth(), modules.getHeight());
        for (int y = 0; y < modules.getHeight(); y++) {
            for (int x = 0; x < modules.getWidth(); x++) {
                if (modules.get(x, y) == 1) {
                    matrix.set(x, y);
                }
            }
        }
        return matrix;
    }
}
