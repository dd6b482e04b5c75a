package io.tracemark.marker.dialect.framed;

import io.tracemark.marker.dialect.message.Messages;

/**
 * One frame of the framed dialect: {@code STX seq type payload crc ETX} (docs/markers/framed.md).
 *
 * @param seq     0 to 255, written as two hex digits
 * @param type    what the frame is
 * @param payload printable ASCII; empty for every type but DATA
 */
public record Frame(int seq, Type type, String payload) {

    public enum Type {
        /** Carries one message of the command set; must be acknowledged. */
        DATA('D'),
        /** The frame with this sequence number arrived intact. */
        ACK('A'),
        /** A frame with this sequence number arrived damaged: send it again. */
        NAK('N'),
        /** Host to marker: a new connection starts; forget the last sequence number seen. */
        RESET('R');

        private final char letter;

        Type(char letter) {
            this.letter = letter;
        }

        public char letter() {
            return letter;
        }

        /** The type with this letter, or null. */
        public static Type of(char letter) {
            for (Type t : values()) {
                if (t.letter == letter) {
                    return t;
                }
            }
            return null;
        }
    }

    public Frame {
        if (seq < 0 || seq > 255) {
            throw new IllegalArgumentException("A sequence number is 0 to 255, not " + seq);
        }
        if (type != Type.DATA && !payload.isEmpty()) {
            throw new IllegalArgumentException(type + " frames carry no payload");
        }
        if (payload.length() > Messages.MAX_LENGTH) {
            throw new IllegalArgumentException("A payload is at most " + Messages.MAX_LENGTH + " characters");
        }
        for (int i = 0; i < payload.length(); i++) {
            char c = payload.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("A payload is printable ASCII (character " + i + ")");
            }
        }
    }

    public static Frame data(int seq, String payload) {
        return new Frame(seq, Type.DATA, payload);
    }

    public static Frame ack(int seq) {
        return new Frame(seq, Type.ACK, "");
    }

    public static Frame nak(int seq) {
        return new Frame(seq, Type.NAK, "");
    }

    public static Frame reset() {
        return new Frame(0, Type.RESET, "");
    }
}
