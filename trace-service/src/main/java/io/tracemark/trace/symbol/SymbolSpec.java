package io.tracemark.trace.symbol;

/**
 * How to draw a symbol. {@code size} is the largest width in pixels the whole image, quiet zone
 * included, may take; modules are a whole number of pixels, so the image may come out smaller.
 */
public record SymbolSpec(SymbolType type, SymbolFormat format, int size, QrErrorCorrection errorCorrection) {

    public static final int MIN_SIZE = 64;
    public static final int MAX_SIZE = 4096;

    public SymbolSpec {
        if (type == null || format == null) {
            throw new IllegalArgumentException("symbol type and format are required");
        }
        if (size < MIN_SIZE || size > MAX_SIZE) {
            throw new IllegalArgumentException("size must be between " + MIN_SIZE + " and " + MAX_SIZE
                    + " pixels, not " + size);
        }
        if (errorCorrection == null) {
            errorCorrection = QrErrorCorrection.M;
        }
    }
}
