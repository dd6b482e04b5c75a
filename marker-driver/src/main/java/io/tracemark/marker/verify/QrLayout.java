package io.tracemark.marker.verify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.decoder.Version;

/**
 * The module layout of one QR version (ISO/IEC 18004 §7): which modules are function patterns,
 * which codeword bit every other module carries, and the symbol a given set of codewords, error
 * correction level and mask make. It is what lets a photographed module be compared with what
 * it should have been.
 */
final class QrLayout {

    private static final int FORMAT_GENERATOR = 0x537;
    private static final int FORMAT_MASK = 0x5412;
    private static final int VERSION_GENERATOR = 0x1f25;

    /** A module position. */
    record Module(int row, int column) {
    }

    private final Version version;
    private final int dimension;
    private final boolean[][] function;
    private final int[][] streamBit;

    private QrLayout(Version version) {
        this.version = version;
        this.dimension = version.getDimensionForVersion();
        this.function = functionModules();
        this.streamBit = placeStream();
    }

    static QrLayout of(Version version) {
        return new QrLayout(version);
    }

    int dimension() {
        return dimension;
    }

    /** The index, in symbol order, of the codeword the module belongs to; −1 for function and remainder modules. */
    int codewordAt(int row, int column) {
        int bit = streamBit[row][column];
        return bit < 0 || bit / 8 >= version.getTotalCodewords() ? -1 : bit / 8;
    }

    /** The symbol as it should look, [row][column], true for a dark module. */
    boolean[][] symbol(ErrorCorrectionLevel level, int mask, byte[] codewords) {
        boolean[][] dark = new boolean[dimension][dimension];
        drawFunctionPatterns(dark);
        drawFormat(dark, level, mask);
        drawVersion(dark);
        for (int row = 0; row < dimension; row++) {
            for (int column = 0; column < dimension; column++) {
                int bit = streamBit[row][column];
                if (bit >= 0) {
                    boolean value = bit / 8 < codewords.length && (codewords[bit / 8] >> (7 - bit % 8) & 1) != 0;
                    dark[row][column] = value ^ masked(mask, row, column);
                }
            }
        }
        return dark;
    }

    /**
     * The fixed patterns whose damage ISO/IEC 18004 grades: each finder pattern with its
     * separator, and the two timing patterns.
     */
    List<List<Module>> fixedPatterns() {
        List<List<Module>> segments = new ArrayList<>();
        int far = dimension - 7;
        segments.add(finderWithSeparator(0, 0, 7, 7));
        segments.add(finderWithSeparator(0, far, 7, far - 1));
        segments.add(finderWithSeparator(far, 0, far - 1, 7));
        List<Module> horizontal = new ArrayList<>();
        List<Module> vertical = new ArrayList<>();
        for (int i = 8; i < dimension - 8; i++) {
            horizontal.add(new Module(6, i));
            vertical.add(new Module(i, 6));
        }
        segments.add(horizontal);
        segments.add(vertical);
        return segments;
    }

    private List<Module> finderWithSeparator(int top, int left, int separatorRow, int separatorColumn) {
        List<Module> modules = new ArrayList<>();
        for (int row = 0; row < 7; row++) {
            for (int column = 0; column < 7; column++) {
                modules.add(new Module(top + row, left + column));
            }
        }
        int separatorTop = Math.max(0, top - 1);
        int separatorLeft = Math.max(0, left - 1);
        for (int i = 0; i < 8; i++) {
            modules.add(new Module(separatorRow, separatorLeft + i));
            if (separatorTop + i != separatorRow) {
                modules.add(new Module(separatorTop + i, separatorColumn));
            }
        }
        return modules;
    }

    private boolean[][] functionModules() {
        boolean[][] reserved = new boolean[dimension][dimension];
        int far = dimension - 8;
        fill(reserved, 0, 0, 9, 9);       // finder, separator and format information
        fill(reserved, 0, far, 9, 8);
        fill(reserved, far, 0, 8, 9);     // includes the dark module
        fill(reserved, 6, 0, 1, dimension);
        fill(reserved, 0, 6, dimension, 1);
        for (Module centre : alignmentCentres()) {
            fill(reserved, centre.row() - 2, centre.column() - 2, 5, 5);
        }
        if (version.getVersionNumber() >= 7) {
            fill(reserved, 0, dimension - 11, 6, 3);
            fill(reserved, dimension - 11, 0, 3, 6);
        }
        return reserved;
    }

    private List<Module> alignmentCentres() {
        int[] centres = version.getAlignmentPatternCenters();
        int last = centres.length - 1;
        List<Module> modules = new ArrayList<>();
        for (int i = 0; i <= last; i++) {
            for (int j = 0; j <= last; j++) {
                boolean underFinder = (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0);
                if (!underFinder) {
                    modules.add(new Module(centres[i], centres[j]));
                }
            }
        }
        return modules;
    }

    /** Codeword bits go up and down two-module columns from the bottom right, skipping the timing column. */
    private int[][] placeStream() {
        int[][] bits = new int[dimension][dimension];
        for (int[] row : bits) {
            Arrays.fill(row, -1);   // the timing column is never visited
        }
        int next = 0;
        boolean upward = true;
        for (int right = dimension - 1; right > 0; right -= 2) {
            if (right == 6) {
                right = 5;
            }
            for (int step = 0; step < dimension; step++) {
                int row = upward ? dimension - 1 - step : step;
                for (int column = right; column > right - 2; column--) {
                    bits[row][column] = function[row][column] ? -1 : next++;
                }
            }
            upward = !upward;
        }
        return bits;
    }

    private void drawFunctionPatterns(boolean[][] dark) {
        drawFinder(dark, 0, 0);
        drawFinder(dark, 0, dimension - 7);
        drawFinder(dark, dimension - 7, 0);
        for (int i = 8; i < dimension - 8; i++) {
            dark[6][i] = i % 2 == 0;
            dark[i][6] = i % 2 == 0;
        }
        for (Module centre : alignmentCentres()) {
            for (int row = -2; row <= 2; row++) {
                for (int column = -2; column <= 2; column++) {
                    dark[centre.row() + row][centre.column() + column] =
                            Math.max(Math.abs(row), Math.abs(column)) != 1;
                }
            }
        }
        dark[dimension - 8][8] = true;
    }

    private static void drawFinder(boolean[][] dark, int top, int left) {
        for (int row = 0; row < 7; row++) {
            for (int column = 0; column < 7; column++) {
                dark[top + row][left + column] = Math.max(Math.abs(row - 3), Math.abs(column - 3)) != 2;
            }
        }
    }

    /** Both copies of the 15 format bits, least significant bit first along each path. */
    private void drawFormat(boolean[][] dark, ErrorCorrectionLevel level, int mask) {
        int data = level.getBits() << 3 | mask;
        int format = (data << 10 | remainder(data << 10, FORMAT_GENERATOR)) ^ FORMAT_MASK;
        int[][] nearTopLeft = {{0, 8}, {1, 8}, {2, 8}, {3, 8}, {4, 8}, {5, 8}, {7, 8}, {8, 8},
                {8, 7}, {8, 5}, {8, 4}, {8, 3}, {8, 2}, {8, 1}, {8, 0}};
        for (int i = 0; i < 15; i++) {
            boolean bit = (format >> i & 1) != 0;
            dark[nearTopLeft[i][0]][nearTopLeft[i][1]] = bit;
            if (i < 8) {
                dark[8][dimension - 1 - i] = bit;
            } else {
                dark[dimension - 15 + i][8] = bit;
            }
        }
    }

    /** Version 7 and up: 18 version bits in a 6 × 3 block beside each of the two far finders. */
    private void drawVersion(boolean[][] dark) {
        int number = version.getVersionNumber();
        if (number < 7) {
            return;
        }
        int bits = number << 12 | remainder(number << 12, VERSION_GENERATOR);
        for (int i = 0; i < 18; i++) {
            boolean bit = (bits >> i & 1) != 0;
            dark[dimension - 11 + i % 3][i / 3] = bit;
            dark[i / 3][dimension - 11 + i % 3] = bit;
        }
    }

    /** The BCH check bits: the remainder of the shifted data divided by the generator polynomial. */
    private static int remainder(int value, int generator) {
        int degree = 31 - Integer.numberOfLeadingZeros(generator);
        int rest = value;
        for (int bit = 31 - Integer.numberOfLeadingZeros(rest); bit >= degree; bit--) {
            if ((rest >> bit & 1) != 0) {
                rest ^= generator << (bit - degree);
            }
        }
        return rest;
    }

    private static boolean masked(int mask, int row, int column) {
        return switch (mask) {
            case 0 -> (row + column) % 2 == 0;
            case 1 -> row % 2 == 0;
            case 2 -> column % 3 == 0;
            case 3 -> (row + column) % 3 == 0;
            case 4 -> (row / 2 + column / 3) % 2 == 0;
            case 5 -> row * column % 2 + row * column % 3 == 0;
            case 6 -> (row * column % 2 + row * column % 3) % 2 == 0;
            case 7 -> ((row + column) % 2 + row * column % 3) % 2 == 0;
            default -> throw new IllegalArgumentException("QR masks are 0 to 7, not " + mask);
        };
    }

    private static void fill(boolean[][] modules, int top, int left, int height, int width) {
        for (int row = top; row < top + height; row++) {
            for (int column = left; column < left + width; column++) {
                modules[row][column] = true;
            }
        }
    }
}
