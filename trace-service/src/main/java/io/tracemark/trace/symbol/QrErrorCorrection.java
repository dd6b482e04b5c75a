package io.tracemark.trace.symbol;

import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;

/** QR error-correction levels: L 7 %, M 15 %, Q 25 %, H 30 % of codewords recoverable. */
public enum QrErrorCorrection {
    L(ErrorCorrectionLevel.L), M(ErrorCorrectionLevel.M), Q(ErrorCorrectionLevel.Q), H(ErrorCorrectionLevel.H);

    private final ErrorCorrectionLevel level;

    QrErrorCorrection(ErrorCorrectionLevel level) {
        this.level = level;
    }

    ErrorCorrectionLevel zxing() {
        return level;
    }
}
