package io.tracemark.marker.verify;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.Binarizer;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.LuminanceSource;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.NotFoundException;
import com.google.zxing.Result;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.GlobalHistogramBinarizer;
import com.google.zxing.common.HybridBinarizer;

/** Finds and decodes the QR code or Data Matrix in a photo, dark-on-light or light-on-dark. */
final class SymbolDecoder {

    private static final Map<DecodeHintType, Object> HINTS = Map.of(
            DecodeHintType.POSSIBLE_FORMATS, List.of(BarcodeFormat.QR_CODE, BarcodeFormat.DATA_MATRIX),
            DecodeHintType.TRY_HARDER, Boolean.TRUE);

    private SymbolDecoder() {
    }

    static Optional<DecodedSymbol> decode(BufferedImage image) {
        LuminanceSource photo = new BufferedImageLuminanceSource(image);
        // Inverting ourselves rather than hinting ALSO_INVERTED tells us the polarity, which
        // reflectance margin needs to know which way a module should have read.
        return attempt(photo, false).or(() -> attempt(photo, true));
    }

    private static Optional<DecodedSymbol> attempt(LuminanceSource photo, boolean lightOnDark) {
        LuminanceSource source = lightOnDark ? photo.invert() : photo;
        // The local threshold copes with uneven light, but takes a uniform block for white when its
        // darkest pixel is far from black, as on a low-contrast etch; the global threshold, which
        // is also what ISO/IEC 15415's reference decode uses, reads those.
        return read(new HybridBinarizer(source)).map(result -> new DecodedSymbol(result, photo, lightOnDark, false))
                .or(() -> read(new GlobalHistogramBinarizer(source))
                        .map(result -> new DecodedSymbol(result, photo, lightOnDark, true)));
    }

    private static Optional<Result> read(Binarizer binarizer) {
        try {
            // A reader per call: MultiFormatReader keeps state and is not safe to share between threads.
            return Optional.of(new MultiFormatReader().decode(new BinaryBitmap(binarizer), HINTS));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }
}
