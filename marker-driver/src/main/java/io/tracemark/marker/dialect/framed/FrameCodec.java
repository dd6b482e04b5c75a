package io.tracemark.marker.dialect.framed;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import io.tracemark.marker.dialect.message.Messages;

/**
 * Frames to bytes and back. The checksum is CRC-16/CCITT-FALSE (polynomial 0x1021, initial value
 * 0xFFFF, no reflection, no final XOR; "123456789" gives 29B1) over the ASCII bytes of sequence
 * number, type and payload, written as four uppercase hex digits.
 */
public final class FrameCodec {

    public static final byte STX = 0x02;
    public static final byte ETX = 0x03;

    /** Sequence number, type and checksum: the bytes between STX and ETX of an empty frame. */
    public static final int MIN_BODY = 2 + 1 + 4;

    /** The most bytes between STX and ETX; a longer run without ETX is not a frame. */
    public static final int MAX_BODY = MIN_BODY + Messages.MAX_LENGTH;

    private FrameCodec() {
    }

    /** What the bytes between one STX and the next ETX turned out to be. */
    public sealed interface Decoded {
    }

    /** An intact frame. */
    public record Valid(Frame frame) implements Decoded {
    }

    /**
     * A damaged frame, with what could still be read of it: the sequence number (null when its
     * digits are damaged too) and the type letter, which say whether and what to NAK.
     */
    public record Damaged(Integer seq, char type, String why) implements Decoded {
    }

    public static int crc16(byte[] bytes, int offset, int length) {
        int crc = 0xFFFF;
        for (int i = offset; i < offset + length; i++) {
            crc ^= (bytes[i] & 0xFF) << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
        }
        return crc & 0xFFFF;
    }

    public static byte[] encode(Frame frame) {
        String body = String.format(Locale.ROOT, "%02X", frame.seq()) + frame.type().letter() + frame.payload();
        byte[] checked = body.getBytes(StandardCharsets.US_ASCII);
        String crc = String.format(Locale.ROOT, "%04X", crc16(checked, 0, checked.length));
        byte[] out = new byte[checked.length + 6];
        out[0] = STX;
        System.arraycopy(checked, 0, out, 1, checked.length);
        System.arraycopy(crc.getBytes(StandardCharsets.US_ASCII), 0, out, 1 + checked.length, 4);
        out[out.length - 1] = ETX;
        return out;
    }

    /** Reads the bytes between STX and ETX, both excluded. */
    public static Decoded decode(byte[] body) {
        if (body.length < MIN_BODY) {
            return new Damaged(null, '?', "shorter than an empty frame");
        }
        Integer seq = hex(body, 0, 2);
        char letter = (char) (body[2] & 0xFF);
        int payloadEnd = body.length - 4;
        for (int i = 3; i < payloadEnd; i++) {
            if (body[i] < 0x20 || body[i] > 0x7e) {
                return new Damaged(seq, letter, "unprintable byte in the payload");
            }
        }
        Integer crc = hex(body, payloadEnd, 4);
        int computed = crc16(body, 0, payloadEnd);
        if (seq == null || crc == null || crc != computed) {
            return new Damaged(seq, letter, String.format(Locale.ROOT, "checksum %s, computed %04X",
                    new String(body, payloadEnd, 4, StandardCharsets.ISO_8859_1), computed));
        }
        return valid(seq, letter, new String(body, 3, payloadEnd - 3, StandardCharsets.US_ASCII));
    }

    private static Decoded valid(int seq, char letter, String payload) {
        Frame.Type type = Frame.Type.of(letter);
        if (type == null) {
            return new Damaged(seq, letter, "unknown frame type '" + letter + "'");
        }
        if (type != Frame.Type.DATA && !payload.isEmpty()) {
            return new Damaged(seq, letter, type + " frame with a payload");
        }
        return new Valid(new Frame(seq, type, payload));
    }

    /** Uppercase hex digits only, as written; anything else means the field is damaged. */
    private static Integer hex(byte[] bytes, int offset, int digits) {
        int value = 0;
        for (int i = offset; i < offset + digits; i++) {
            int d = Character.digit(bytes[i], 16);
            if (d < 0 || (bytes[i] >= 'a' && bytes[i] <= 'f')) {
                return null;
            }
            value = value * 16 + d;
        }
        return value;
    }
}
