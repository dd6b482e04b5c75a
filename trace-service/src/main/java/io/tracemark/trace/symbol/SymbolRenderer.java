package io.tracemark.trace.symbol;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

import javax.imageio.ImageIO;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.datamatrix.DataMatrixWriter;
import com.google.zxing.datamatrix.encoder.DefaultPlacement;
import com.google.zxing.datamatrix.encoder.ErrorCorrection;
import com.google.zxing.datamatrix.encoder.SymbolInfo;
import com.google.zxing.datamatrix.encoder.SymbolShapeHint;
import com.google.zxing.qrcode.encoder.ByteMatrix;
import com.google.zxing.qrcode.encoder.Encoder;

/**
 * Draws a code as a QR code or a Data Matrix, as PNG or as SVG. The module grid comes from ZXing
 * without any scaling, and the quiet zone and pixels are laid out here, so every module is a
 * whole number of pixels (crisp for a laser) and the quiet zone is exactly what the symbology asks.
 */
public final class SymbolRenderer {

    private static final int DARK = 0xFF000000;
    private static final int LIGHT = 0xFFFFFFFF;
    private static final char FNC1_CODEWORD = 232;
    private static final char PAD_CODEWORD = 129;

    /** A symbol holding the text as written, e.g. a Digital Link URI. */
    public byte[] renderUri(String uri, SymbolSpec spec) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("nothing to encode");
        }
        return draw(modules(uri, spec, false), spec);
    }

    /** A GS1 symbol (FNC1 in first position) holding the element string 01 GTIN-14, 21 serial. */
    public byte[] renderGs1(String gtin14, String serial, SymbolSpec spec) {
        if (gtin14 == null || !gtin14.matches("\\d{14}")) {
            throw new IllegalArgumentException("GTIN must have 14 digits");
        }
        if (serial == null || !serial.matches("[!-\"%-?A-Z_a-z]{1,20}")) {
            throw new IllegalArgumentException("serial must be 1 to 20 characters of the GS1 AI 21 character set");
        }
        // AI 21 is last and variable-length, so no separator is needed after it.
        return draw(modules("01" + gtin14 + "21" + serial, spec, true), spec);
    }

    /** The module grid with its quiet zone: true is a dark module. */
    boolean[][] modules(String content, SymbolSpec spec, boolean gs1) {
        boolean[][] symbol = spec.type() == SymbolType.QR ? qr(content, spec.errorCorrection(), gs1)
                : dataMatrix(content, gs1);
        int quiet = spec.type().quietZone();
        int height = symbol.length + 2 * quiet;
        int width = symbol[0].length + 2 * quiet;
        boolean[][] withQuietZone = new boolean[height][width];
        for (int y = 0; y < symbol.length; y++) {
            System.arraycopy(symbol[y], 0, withQuietZone[y + quiet], quiet, symbol[y].length);
        }
        return withQuietZone;
    }

    private static boolean[][] qr(String content, QrErrorCorrection level, boolean gs1) {
        Map<EncodeHintType, Object> hints = new EnumMap<>(EncodeHintType.class);
        hints.put(EncodeHintType.CHARACTER_SET, StandardCharsets.UTF_8.name());
        if (gs1) {
            hints.put(EncodeHintType.GS1_FORMAT, true);
        }
        try {
            ByteMatrix matrix = Encoder.encode(content, level.zxing(), hints).getMatrix();
            boolean[][] modules = new boolean[matrix.getHeight()][matrix.getWidth()];
            for (int y = 0; y < matrix.getHeight(); y++) {
                for (int x = 0; x < matrix.getWidth(); x++) {
                    modules[y][x] = matrix.get(x, y) == 1;
                }
            }
            return modules;
        } catch (WriterException e) {
            throw new IllegalArgumentException("cannot encode as QR code: " + e.getMessage(), e);
        }
    }

    private static boolean[][] dataMatrix(String content, boolean gs1) {
        return gs1 ? gs1DataMatrix(content) : plainDataMatrix(content);
    }

    private static boolean[][] plainDataMatrix(String content) {
        Map<EncodeHintType, Object> hints = new EnumMap<>(EncodeHintType.class);
        hints.put(EncodeHintType.DATA_MATRIX_SHAPE, SymbolShapeHint.FORCE_SQUARE);
        // Asking for 0 x 0 pixels gets the bare symbol at one pixel per module, no quiet zone.
        BitMatrix matrix = new DataMatrixWriter().encode(content, BarcodeFormat.DATA_MATRIX, 0, 0, hints);
        boolean[][] modules = new boolean[matrix.getHeight()][matrix.getWidth()];
        for (int y = 0; y < matrix.getHeight(); y++) {
            for (int x = 0; x < matrix.getWidth(); x++) {
                modules[y][x] = matrix.get(x, y);
            }
        }
        return modules;
    }

    /**
     * GS1 Data Matrix in plain ASCII encodation: FNC1, digit pairs, characters, then the standard's
     * randomized pad. ZXing's writer only marks GS1 through its compact encoder, whose mixed-mode
     * endings some decoders (libdmtx among them) misread, so the codewords are laid out here and
     * ZXing does the error correction and module placement.
     */
    private static boolean[][] gs1DataMatrix(String elementString) {
        StringBuilder codewords = new StringBuilder().append(FNC1_CODEWORD);
        for (int i = 0; i < elementString.length(); i++) {
            char c = elementString.charAt(i);
            if (isDigit(c) && i + 1 < elementString.length() && isDigit(elementString.charAt(i + 1))) {
                codewords.append((char) (130 + (c - '0') * 10 + (elementString.charAt(++i) - '0')));
            } else {
                codewords.append((char) (c + 1));
            }
        }
        SymbolInfo symbol = SymbolInfo.lookup(codewords.length(), SymbolShapeHint.FORCE_SQUARE, null, null, true);
        int dataLength = codewords.length();
        for (int position = dataLength + 1; position <= symbol.getDataCapacity(); position++) {
            codewords.append(position == dataLength + 1 ? PAD_CODEWORD : randomizedPad(position));
        }
        DefaultPlacement placement = new DefaultPlacement(ErrorCorrection.encodeECC200(codewords.toString(), symbol),
                symbol.getSymbolDataWidth(), symbol.getSymbolDataHeight());
        placement.place();
        return withFinderAndClock(placement, symbol);
    }

    /** ISO/IEC 16022 253-state randomizing of every pad codeword after the first. */
    private static char randomizedPad(int position) {
        int value = PAD_CODEWORD + (149 * position) % 253 + 1;
        return (char) (value <= 254 ? value : value - 254);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * Surrounds each data region with its finder (solid left and bottom edges) and its clock
     * track (alternating top and right edges).
     */
    private static boolean[][] withFinderAndClock(DefaultPlacement placement, SymbolInfo symbol) {
        boolean[][] modules = new boolean[symbol.getSymbolHeight()][symbol.getSymbolWidth()];
        int row = 0;
        for (int y = 0; y < symbol.getSymbolDataHeight(); y++) {
            if (y % symbol.matrixHeight == 0) {
                for (int x = 0; x < symbol.getSymbolWidth(); x++) {
                    modules[row][x] = x % 2 == 0;
                }
                row++;
            }
            int column = 0;
            for (int x = 0; x < symbol.getSymbolDataWidth(); x++) {
                if (x % symbol.matrixWidth == 0) {
                    modules[row][column++] = true;
                }
                modules[row][column++] = placement.getBit(x, y);
                if (x % symbol.matrixWidth == symbol.matrixWidth - 1) {
                    modules[row][column++] = y % 2 == 0;
                }
            }
            row++;
            if (y % symbol.matrixHeight == symbol.matrixHeight - 1) {
                for (int x = 0; x < symbol.getSymbolWidth(); x++) {
                    modules[row][x] = true;
                }
                row++;
            }
        }
        return modules;
    }

    private static byte[] draw(boolean[][] modules, SymbolSpec spec) {
        int moduleSize = Math.max(1, spec.size() / modules[0].length);
        return spec.format() == SymbolFormat.PNG ? png(modules, moduleSize) : svg(modules, moduleSize);
    }

    private static byte[] png(boolean[][] modules, int moduleSize) {
        int width = modules[0].length * moduleSize;
        int height = modules.length * moduleSize;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_BINARY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, modules[y / moduleSize][x / moduleSize] ? DARK : LIGHT);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return png.toByteArray();
    }

    /** One path of horizontal runs, in module units: vector, compact, and exact for laser software. */
    private static byte[] svg(boolean[][] modules, int moduleSize) {
        int width = modules[0].length;
        int height = modules.length;
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < height; y++) {
            int x = 0;
            while (x < width) {
                if (!modules[y][x]) {
                    x++;
                    continue;
                }
                int start = x;
                while (x < width && modules[y][x]) {
                    x++;
                }
                path.append('M').append(start).append(' ').append(y).append('h').append(x - start)
                        .append("v1h-").append(x - start).append('z');
            }
        }
        String svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" + width * moduleSize
                + "\" height=\"" + height * moduleSize + "\" viewBox=\"0 0 " + width + " " + height
                + "\" shape-rendering=\"crispEdges\">\n"
                + "<rect width=\"" + width + "\" height=\"" + height + "\" fill=\"#fff\"/>\n"
                + "<path fill=\"#000\" d=\"" + path + "\"/>\n</svg>\n";
        return svg.getBytes(StandardCharsets.UTF_8);
    }
}
