package io.tracemark.marker.verify;

import java.util.Arrays;

import com.google.zxing.ResultPoint;
import com.google.zxing.common.PerspectiveTransform;

/**
 * Where each module of a symbol lies in the photo: a perspective mapping from module coordinates
 * (column, row; module centres at half-integers) to pixels, fitted through points the ZXing
 * detector located.
 */
final class ModuleGrid {

    /** ISO/IEC 15415 leaves the aperture to the application; GS1 asks 80 % of the X dimension. */
    private static final double APERTURE_PER_MODULE = 0.8;

    private final PerspectiveTransform toImage;
    private final int columns;
    private final int rows;
    private final double modulePixels;

    private ModuleGrid(PerspectiveTransform toImage, int columns, int rows, double modulePixels) {
        this.toImage = toImage;
        this.columns = columns;
        this.rows = rows;
        this.modulePixels = modulePixels;
    }

    /**
     * A QR code's grid from ZXing's points: bottom-left, top-left and top-right finder centres,
     * then the bottom-right alignment pattern when the detector found one. The finder centres lie
     * at module (3.5, 3.5) from their corners; that alignment pattern at (d − 6.5, d − 6.5).
     */
    static ModuleGrid qr(ResultPoint[] points, int dimension) {
        ResultPoint bottomLeft = points[0];
        ResultPoint topLeft = points[1];
        ResultPoint topRight = points[2];
        float far = dimension - 3.5f;
        float cornerX;
        float cornerY;
        float cornerModule;
        if (points.length > 3) {
            cornerX = points[3].getX();
            cornerY = points[3].getY();
            cornerModule = dimension - 6.5f;
        } else {
            // Without an alignment pattern the fourth corner is the parallelogram's.
            cornerX = topRight.getX() - topLeft.getX() + bottomLeft.getX();
            cornerY = topRight.getY() - topLeft.getY() + bottomLeft.getY();
            cornerModule = far;
        }
        PerspectiveTransform transform = PerspectiveTransform.quadrilateralToQuadrilateral(
                3.5f, 3.5f, far, 3.5f, cornerModule, cornerModule, 3.5f, far,
                topLeft.getX(), topLeft.getY(), topRight.getX(), topRight.getY(), cornerX, cornerY,
                bottomLeft.getX(), bottomLeft.getY());
        double pitch = (ResultPoint.distance(topLeft, topRight) + ResultPoint.distance(topLeft, bottomLeft))
                / (2.0 * (dimension - 7));
        return new ModuleGrid(transform, dimension, dimension, pitch);
    }

    /**
     * A Data Matrix grid from ZXing's detector points (top-left, bottom-left, bottom-right,
     * top-right), taken as the centres of the corner modules. They are estimates from the
     * symbol's edges, good to a fraction of a module: enough to find its light and dark areas.
     */
    static ModuleGrid dataMatrix(ResultPoint[] points, int rows, int columns) {
        float right = columns - 0.5f;
        float bottom = rows - 0.5f;
        PerspectiveTransform transform = PerspectiveTransform.quadrilateralToQuadrilateral(
                0.5f, 0.5f, 0.5f, bottom, right, bottom, right, 0.5f,
                points[0].getX(), points[0].getY(), points[1].getX(), points[1].getY(),
                points[2].getX(), points[2].getY(), points[3].getX(), points[3].getY());
        double pitch = (ResultPoint.distance(points[0], points[3]) / (columns - 1)
                + ResultPoint.distance(points[0], points[1]) / (rows - 1)) / 2;
        return new ModuleGrid(transform, columns, rows, pitch);
    }

    /** Reflectance at every module centre, [row][column]; null if any module lies outside the photo. */
    double[][] modules(ReflectanceImage image) {
        double[][] reflectance = new double[rows][columns];
        for (int row = 0; row < rows; row++) {
            for (int column = 0; column < columns; column++) {
                reflectance[row][column] = sample(image, column, row);
                if (Double.isNaN(reflectance[row][column])) {
                    return null;
                }
            }
        }
        return reflectance;
    }

    /**
     * Reflectance on the module grid over the symbol and up to {@code quietZone} modules around
     * it, as far as the photo reaches: the region symbol contrast is measured over.
     */
    double[] region(ReflectanceImage image, int quietZone) {
        double[] samples = new double[(rows + 2 * quietZone) * (columns + 2 * quietZone)];
        int count = 0;
        for (int row = -quietZone; row < rows + quietZone; row++) {
            for (int column = -quietZone; column < columns + quietZone; column++) {
                double reflectance = sample(image, column, row);
                if (!Double.isNaN(reflectance)) {
                    samples[count++] = reflectance;
                }
            }
        }
        return Arrays.copyOf(samples, count);
    }

    private double sample(ReflectanceImage image, int column, int row) {
        float[] point = {column + 0.5f, row + 0.5f};
        toImage.transformPoints(point);
        return image.aperture(point[0], point[1], APERTURE_PER_MODULE * modulePixels);
    }
}
