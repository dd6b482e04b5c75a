package io.tracemark.marker.verify;

import com.google.zxing.LuminanceSource;

/**
 * The photo as reflectance, 0 (black) to 1 (white), read through a circular synthetic aperture
 * the way ISO/IEC 15415 builds its reference grey-scale image. The camera is not calibrated, so
 * reflectance here is luminance / 255: good for comparing marks, not an absolute measurement.
 */
final class ReflectanceImage {

    private final int width;
    private final int height;
    private final byte[] luminance;

    ReflectanceImage(LuminanceSource source) {
        this.width = source.getWidth();
        this.height = source.getHeight();
        this.luminance = source.getMatrix();
    }

    /**
     * Mean reflectance of the pixels whose centres lie within the aperture, or NaN when the
     * aperture does not lie wholly inside the photo: a half-seen aperture would bias the mean.
     */
    double aperture(double centreX, double centreY, double diameter) {
        double radius = diameter / 2;
        if (centreX - radius < 0 || centreY - radius < 0 || centreX + radius > width || centreY + radius > height) {
            return Double.NaN;
        }
        double sum = 0;
        int count = 0;
        for (int y = (int) (centreY - radius); y <= (int) (centreY + radius) && y < height; y++) {
            for (int x = (int) (centreX - radius); x <= (int) (centreX + radius) && x < width; x++) {
                double dx = x + 0.5 - centreX;
                double dy = y + 0.5 - centreY;
                if (dx * dx + dy * dy <= radius * radius) {
                    sum += at(x, y);
                    count++;
                }
            }
        }
        // An aperture smaller than a pixel still sees the pixel it falls in.
        return count > 0 ? sum / count : at((int) centreX, (int) centreY);
    }

    private double at(int x, int y) {
        return (luminance[y * width + x] & 0xff) / 255.0;
    }
}
