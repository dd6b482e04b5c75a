package io.tracemark.trace.tracing;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Random;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;

/**
 * A symbol made to look like a phone's photo of a product: turned, small in a larger frame, on an
 * unevenly lit background, soft, noisy, at reduced contrast, saved as a JPEG.
 */
final class Photos {

    private static final int WIDTH = 1280;
    private static final int HEIGHT = 960;

    private Photos() {
    }

    /**
     * @param symbol  the symbol as rendered or etched
     * @param degrees rotation
     * @param side    the symbol's side in the photo, in pixels
     */
    static byte[] photographed(BufferedImage symbol, double degrees, int side, long seed) {
        Random random = new Random(seed);
        BufferedImage photo = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = photo.createGraphics();
        // Uneven light across a greyish-brown box.
        graphics.setPaint(new GradientPaint(0, 0, new Color(176, 160, 138), WIDTH, HEIGHT, new Color(96, 86, 74)));
        graphics.fillRect(0, 0, WIDTH, HEIGHT);
        graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        double scale = (double) side / symbol.getWidth();
        AffineTransform place = new AffineTransform();
        place.translate(WIDTH * 0.55, HEIGHT * 0.45);
        place.rotate(Math.toRadians(degrees));
        place.scale(scale, scale);
        place.translate(-symbol.getWidth() / 2.0, -symbol.getHeight() / 2.0);
        graphics.drawImage(symbol, place, null);
        graphics.dispose();
        return jpeg(fade(blur(photo), 0.6, 6, random));
    }

    /** A photo of a product with no code on it. */
    static byte[] withoutCode(long seed) {
        BufferedImage blank = new BufferedImage(400, 400, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = blank.createGraphics();
        graphics.setColor(new Color(220, 210, 190));
        graphics.fillRect(0, 0, 400, 400);
        graphics.setColor(new Color(60, 60, 60));
        graphics.drawString("Extra virgin olive oil", 120, 200);
        graphics.dispose();
        return photographed(blank, 8, 500, seed);
    }

    static BufferedImage read(byte[] png) {
        try {
            return ImageIO.read(new ByteArrayInputStream(png));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BufferedImage blur(BufferedImage image) {
        float[] weights = new float[9];
        Arrays.fill(weights, 1f / 9);
        return new ConvolveOp(new Kernel(3, 3, weights), ConvolveOp.EDGE_NO_OP, null).filter(image, null);
    }

    /** Contrast pulled toward mid-grey, then sensor noise, the same on the three colours of a pixel. */
    private static BufferedImage fade(BufferedImage image, double contrast, double sigma, Random random) {
        WritableRaster raster = image.getRaster();
        int[] pixel = new int[3];
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                raster.getPixel(x, y, pixel);
                double noise = random.nextGaussian() * sigma;
                for (int band = 0; band < 3; band++) {
                    double faded = 128 + (pixel[band] - 128) * contrast + noise;
                    pixel[band] = (int) Math.max(0, Math.min(255, Math.round(faded)));
                }
                raster.setPixel(x, y, pixel);
            }
        }
        return image;
    }

    private static byte[] jpeg(BufferedImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.75f);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var output = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(output);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
