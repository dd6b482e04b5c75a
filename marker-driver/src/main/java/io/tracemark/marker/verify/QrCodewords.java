package io.tracemark.marker.verify;

import com.google.zxing.common.reedsolomon.GenericGF;
import com.google.zxing.common.reedsolomon.ReedSolomonEncoder;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.decoder.Version;

/**
 * The codewords a QR code should carry, rebuilt from the data codewords ZXing corrected: error
 * correction recomputed block by block, then interleaved in symbol order (ISO/IEC 18004 §7.6).
 * Knowing what every codeword should have been is what lets us count, per block, the codewords
 * the photo shows wrong.
 */
final class QrCodewords {

    private final byte[] interleaved;
    private final int[] blockOf;
    private final int blocks;
    private final int ecPerBlock;
    private final int misdecodeProtection;

    private QrCodewords(byte[] interleaved, int[] blockOf, int blocks, int ecPerBlock, int misdecodeProtection) {
        this.interleaved = interleaved;
        this.blockOf = blockOf;
        this.blocks = blocks;
        this.ecPerBlock = ecPerBlock;
        this.misdecodeProtection = misdecodeProtection;
    }

    /** {@code data}: the data codewords block after block, as ZXing returns them in its raw bytes. */
    static QrCodewords of(Version version, ErrorCorrectionLevel level, byte[] data) {
        Version.ECBlocks ecBlocks = version.getECBlocksForLevel(level);
        int ecPerBlock = ecBlocks.getECCodewordsPerBlock();
        int[][] blockData = split(ecBlocks, data);
        int[][] blockEc = new int[blockData.length][];
        for (int b = 0; b < blockData.length; b++) {
            blockEc[b] = errorCorrection(blockData[b], ecPerBlock);
        }
        byte[] interleaved = new byte[version.getTotalCodewords()];
        int[] blockOf = new int[interleaved.length];
        int next = interleave(blockData, interleaved, blockOf, 0);
        interleave(blockEc, interleaved, blockOf, next);
        return new QrCodewords(interleaved, blockOf, blockData.length, ecPerBlock,
                misdecodeProtection(version.getVersionNumber(), level));
    }

    /** The version whose data capacity at this level is exactly {@code dataCodewords}; null if none. */
    static Version versionFor(ErrorCorrectionLevel level, int dataCodewords) {
        for (int number = 1; number <= 40; number++) {
            Version version = Version.getVersionForNumber(number);
            if (version.getTotalCodewords() - version.getECBlocksForLevel(level).getTotalECCodewords()
                    == dataCodewords) {
                return version;
            }
        }
        return null;
    }

    int count() {
        return interleaved.length;
    }

    byte[] interleaved() {
        return interleaved.clone();
    }

    /** The block the {@code index}-th codeword in symbol order belongs to. */
    int blockOf(int index) {
        return blockOf[index];
    }

    int blocks() {
        return blocks;
    }

    /** Error correction budget of one block, d − p in ISO/IEC 15415. */
    int correctable() {
        return ecPerBlock - misdecodeProtection;
    }

    private static int[][] split(Version.ECBlocks ecBlocks, byte[] data) {
        int[][] blocks = new int[ecBlocks.getNumBlocks()][];
        int block = 0;
        int offset = 0;
        for (Version.ECB group : ecBlocks.getECBlocks()) {
            for (int i = 0; i < group.getCount(); i++, block++) {
                blocks[block] = new int[group.getDataCodewords()];
                for (int j = 0; j < blocks[block].length; j++) {
                    blocks[block][j] = data[offset++] & 0xff;
                }
            }
        }
        if (offset != data.length) {
            throw new IllegalArgumentException(data.length + " data codewords do not fill " + offset);
        }
        return blocks;
    }

    private static int[] errorCorrection(int[] data, int ecCodewords) {
        int[] message = new int[data.length + ecCodewords];
        System.arraycopy(data, 0, message, 0, data.length);
        new ReedSolomonEncoder(GenericGF.QR_CODE_FIELD_256).encode(message, ecCodewords);
        int[] ec = new int[ecCodewords];
        System.arraycopy(message, data.length, ec, 0, ecCodewords);
        return ec;
    }

    /** Round-robin over the blocks; blocks that are shorter simply drop out of the last rounds. */
    private static int interleave(int[][] blocks, byte[] into, int[] blockOf, int start) {
        int longest = 0;
        for (int[] block : blocks) {
            longest = Math.max(longest, block.length);
        }
        int next = start;
        for (int i = 0; i < longest; i++) {
            for (int b = 0; b < blocks.length; b++) {
                if (i < blocks[b].length) {
                    blockOf[next] = b;
                    into[next++] = (byte) blocks[b][i];
                }
            }
        }
        return next;
    }

    /**
     * Codewords of the smallest symbols that guard against misdecodes and so cannot be spent on
     * correction (ISO/IEC 18004 Table 9, p).
     */
    private static int misdecodeProtection(int version, ErrorCorrectionLevel level) {
        if (version == 1) {
            return switch (level) {
                case L -> 3;
                case M -> 2;
                case Q, H -> 1;
            };
        }
        if (level == ErrorCorrectionLevel.L && version <= 3) {
            return version == 2 ? 2 : 1;
        }
        return 0;
    }
}
