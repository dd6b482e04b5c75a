package io.tracemark.marker.verify;

import java.awt.image.BufferedImage;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

import com.google.zxing.BarcodeFormat;

/**
 * Reads a photographed mark back and grades it, modelled on ISO/IEC 15415: the symbol must decode
 * (QR code or Data Matrix, dark-on-light or light-on-dark) to exactly the content sent to the
 * marker, and its grade is the lowest grade among the parameters that can be measured from the
 * photo. Grades from an uncalibrated camera are for process control, not certification; see
 * docs/markers/verification.md.
 *
 * <p>Holds no state: one instance may serve any number of threads.
 */
public final class MarkVerifier {

    /** Checks {@code image} for a symbol holding exactly {@code expectedContent} and grades it. */
    public Verification verify(BufferedImage image, String expectedContent) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(expectedContent, "expectedContent");
        Optional<DecodedSymbol> symbol = SymbolDecoder.decode(image);
        if (symbol.isEmpty()) {
            return Verification.notDecoded();
        }
        String text = symbol.get().result().getText();
        Map<QualityParameter, ParameterGrade> parameters = measure(symbol.get());
        if (!text.equals(expectedContent)) {
            return new Verification(true, text, false, Grade.F, parameters, "decoded text differs from the code sent");
        }
        Grade grade = parameters.values().stream().map(ParameterGrade::grade).reduce(Grade.A, Grade::lowest);
        return new Verification(true, text, true, grade, parameters, reason(parameters, grade));
    }

    /**
     * The text of the QR code or Data Matrix in a photo, without grading it: for photos that were
     * not taken by a line camera, such as a consumer's, where no content is expected.
     */
    public Optional<String> read(BufferedImage image) {
        Objects.requireNonNull(image, "image");
        return SymbolDecoder.decode(image).map(symbol -> symbol.result().getText());
    }

    private static Map<QualityParameter, ParameterGrade> measure(DecodedSymbol symbol) {
        Map<QualityParameter, ParameterGrade> parameters = new EnumMap<>(QualityParameter.class);
        parameters.put(QualityParameter.DECODE, new ParameterGrade(QualityParameter.DECODE, 1, Grade.A));
        parameters.putAll(symbol.result().getBarcodeFormat() == BarcodeFormat.QR_CODE
                ? QrMeasurement.measure(symbol)
                : DataMatrixMeasurement.measure(symbol));
        return parameters;
    }

    /** The parameters that hold the grade down, so the operator knows what to fix. */
    private static String reason(Map<QualityParameter, ParameterGrade> parameters, Grade grade) {
        if (grade == Grade.A) {
            return "grade A on every measured parameter";
        }
        return parameters.values().stream()
                .filter(parameter -> parameter.grade() == grade)
                .map(ParameterGrade::describe)
                .collect(Collectors.joining("; "));
    }
}
