package io.tracemark.trace.scan;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import jakarta.enterprise.context.ApplicationScoped;

import io.tracemark.marker.verify.MarkVerifier;
import io.tracemark.trace.problem.ProblemException;
import io.tracemark.trace.problem.ProblemType;

/**
 * Reads the code in a consumer's photo with the marking line's own decoder (QR code and Data
 * Matrix, either polarity, rotated, try-harder, no pure-barcode assumption), then, when that finds
 * nothing, with the photo's contrast stretched and with it enlarged: a phone's photo of a faint
 * or small etch needs the help a line camera's fixed lighting does not.
 */
@ApplicationScoped
public class PhotoReader {

    /** Longest side a photo is read at first: a phone's 12 MP photo costs seconds at full size. */
    static final int WORKING_SIDE = 2000;
    /** Photos up to this side are also tried twice as large, for codes only a few pixels a module. */
    static final int SMALL_SIDE = 1000;

    /** Turns tried for a Data Matrix: every angle is within 7.5 degrees of one of them, or of upright. */
    static final List<Double> TURNS = List.of(15.0, -15.0, 30.0, -30.0, 45.0);

    private final MarkVerifier decoder = new MarkVerifier();

    public Optional<String> read(BufferedImage photo) {
        BufferedImage working = fit(photo, WORKING_SIDE);
        boolean small = working.getWidth() <= SMALL_SIDE && working.getHeight() <= SMALL_SIDE;
        return decoder.read(working)
                .or(() -> decoder.read(stretchContrast(working)))
                .or(() -> small ? decoder.read(scale(stretchContrast(working), 2)) : Optional.empty())
                // A code too small to survive the reduction to the working size may still read at full size.
                .or(() -> working == photo ? Optional.empty() : decoder.read(stretchContrast(photo)))
                .or(() -> turned(stretchContrast(working)));
    }

    /**
     * ZXing finds a QR code at any angle, but a Data Matrix only within a few degrees of upright:
     * the photo is turned in steps that bring any angle within reach.
     */
    private Optional<String> turned(BufferedImage image) {
        return TURNS.stream().map(degrees -> decoder.read(rotate(image, degrees))).flatMap(Optional::stream).findFirst();
    }

    private static BufferedImage rotate(BufferedImage image, double degrees) {
        double radians = Math.toRadians(degrees);
        double sin = Math.abs(Math.sin(radians));
        double cos = Math.abs(Math.cos(radians));
        int width = (int) Math.ceil(image.getWidth() * cos + image.getHeight() * sin);
        int height = (int) Math.ceil(image.getHeight() * cos + image.getWidth() * sin);
        BufferedImage turned = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D graphics = turned.createGraphics();
        graphics.setColor(java.awt.Color.GRAY);
        graphics.fillRect(0, 0, width, height);
        graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        graphics.rotate(radians, width / 2.0, height / 2.0);
        graphics.drawImage(image, (width - image.getWidth()) / 2, (height - image.getHeight()) / 2, null);
        graphics.dispose();
        return turned;
    }

    /**
     * The photo in a file, refused as 415 when no image reader knows its format and as 413 when it
     * would unpack to more than {@code maxPixels}: its size is read from the header before any pixel.
     */
    static BufferedImage load(Path file, long maxPixels) {
        try (ImageInputStream input = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = input == null ? null : ImageIO.getImageReaders(input);
            if (readers == null || !readers.hasNext()) {
                throw notAPhoto();
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > maxPixels) {
                    throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, "The photo has " + pixels
                            + " pixels; at most " + maxPixels + " are read");
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ProblemException problem) {
                throw problem;
            }
            throw notAPhoto();
        }
    }

    private static ProblemException notAPhoto() {
        return new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                "The file is not an image this service can read: send a JPEG or PNG photo of the code");
    }

    private static BufferedImage fit(BufferedImage photo, int side) {
        int longest = Math.max(photo.getWidth(), photo.getHeight());
        return longest <= side ? photo : scale(photo, (double) side / longest);
    }

    private static BufferedImage scale(BufferedImage image, double factor) {
        int width = Math.max(1, (int) Math.round(image.getWidth() * factor));
        int height = Math.max(1, (int) Math.round(image.getHeight() * factor));
        BufferedImage scaled = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D graphics = scaled.createGraphics();
        graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        graphics.drawImage(image, 0, 0, width, height, null);
        graphics.dispose();
        return scaled;
    }

    /** Grey levels spread so that the darkest 1 % become black and the brightest 1 % white. */
    static BufferedImage stretchContrast(BufferedImage image) {
        BufferedImage grey = scale(image, 1);
        WritableRaster raster = grey.getRaster();
        int width = grey.getWidth();
        int[] row = new int[width];
        int[] histogram = new int[256];
        // Row by row: a whole photo's pixels as ints would cost four bytes a pixel at once.
        for (int y = 0; y < grey.getHeight(); y++) {
            for (int pixel : raster.getPixels(0, y, width, 1, row)) {
                histogram[pixel]++;
            }
        }
        long onePercent = (long) width * grey.getHeight() / 100;
        int low = percentile(histogram, onePercent);
        int high = 255 - percentile(reversed(histogram), onePercent);
        if (high <= low) {
            return grey;
        }
        for (int y = 0; y < grey.getHeight(); y++) {
            raster.getPixels(0, y, width, 1, row);
            for (int x = 0; x < width; x++) {
                row[x] = Math.max(0, Math.min(255, (row[x] - low) * 255 / (high - low)));
            }
            raster.setPixels(0, y, width, 1, row);
        }
        return grey;
    }

    private static int percentile(int[] histogram, long count) {
        long seen = 0;
        for (int level = 0; level < histogram.length; level++) {
            seen += histogram[level];
            if (seen > count) {
                return level;
            }
        }
        return histogram.length - 1;
    }

    private static int[] reversed(int[] histogram) {
        int[] reversed = new int[histogram.length];
        for (int i = 0; i < histogram.length; i++) {
            reversed[i] = histogram[histogram.length - 1 - i];
        }
        return reversed;
    }
}
