package io.tracemark.trace.symbol;

/** The 2D symbologies a laser etches: QR for phones, Data Matrix for small parts. */
public enum SymbolType {
    QR(4), DATAMATRIX(2);

    private final int quietZone;

    SymbolType(int quietZone) {
        this.quietZone = quietZone;
    }

    /** Light modules around the symbol: ISO/IEC 18004 asks 4 for QR; Data Matrix needs 1, we give 2. */
    public int quietZone() {
        return quietZone;
    }
}
