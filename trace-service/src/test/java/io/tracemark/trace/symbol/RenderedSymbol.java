package io.tracemark.trace.symbol;

import java.io.ByteArrayInputStream;
import java.util.Map;

import javax.imageio.ImageIO;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.Result;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;

/** Reads back a symbol the service rendered, as ZXing reads an image that holds nothing else. */
public final class RenderedSymbol {

    /*
     * PURE_BARCODE: the image is the symbol and its quiet zone, unrotated and unblurred. Without it
     * ZXing looks for finder patterns as in a photo, which missed 3 of 2,000 rendered QR codes of
     * random serials (zbarimg read all three): a test on a random serial then fails now and then.
     */
    private static final Map<DecodeHintType, Object> HINTS = Map.of(
            DecodeHintType.PURE_BARCODE, Boolean.TRUE,
            DecodeHintType.TRY_HARDER, Boolean.TRUE);

    private RenderedSymbol() {
    }

    public static Result decode(byte[] png) throws Exception {
        var image = ImageIO.read(new ByteArrayInputStream(png));
        return new MultiFormatReader().decode(
                new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image))), HINTS);
    }
}
