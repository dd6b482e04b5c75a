package io.tracemark.marker.verify;

import com.google.zxing.LuminanceSource;
import com.google.zxing.NotFoundException;
import com.google.zxing.Result;
import com.google.zxing.ResultMetadataType;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.GlobalHistogramBinarizer;
import com.google.zxing.common.HybridBinarizer;

/**
 * A symbol ZXing decoded, with the image it came from.
 *
 * @param result     ZXing's result: text, corrected data codewords, points, metadata
 * @param image      the photo's luminance as taken, never inverted: true reflectances
 * @param lightOnDark the symbol decoded only from the inverted image: its dark modules look light
 * @param globalThreshold the symbol decoded only with one threshold for the whole image
 */
record DecodedSymbol(Result result, LuminanceSource image, boolean lightOnDark, boolean globalThreshold) {

    /** A piece of ZXing's metadata about the symbol, or null. */
    Object metadata(ResultMetadataType type) {
        var metadata = result.getResultMetadata();
        return metadata == null ? null : metadata.get(type);
    }

    /** The black and white image the decoder read the symbol from. */
    BitMatrix binarized() throws NotFoundException {
        LuminanceSource source = lightOnDark ? image.invert() : image;
        return globalThreshold ? new GlobalHistogramBinarizer(source).getBlackMatrix()
                : new HybridBinarizer(source).getBlackMatrix();
    }
}
