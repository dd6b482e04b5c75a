package io.tracemark.marker.dialect.panasonic;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The bytes of the Panasonic LP command protocol (ME-LP-GS-SR-COMP-3, 2-3-1 to 2-3-3, pp.31-35):
 * start code, command, sub command, data, optional checksum, end code. The checksum is the lower
 * byte of the sum of every byte from the start code to the last data byte, as two uppercase hex
 * characters (p.32).
 */
public final class LpCodec {

    static final byte STX = 0x02;
    static final byte ACK = 0x06;
    static final byte NAK = 0x15;
    static final byte CR = 0x0D;
    static final byte LF = 0x0A;

    /** Longest message accepted before its end code; the longest the manual defines is far shorter. */
    static final int MAX_MESSAGE = 1024;

    private final LpOptions options;

    public LpCodec(LpOptions options) {
        this.options = options;
    }

    /** A request or readout response as it goes on the wire. */
    public byte[] encode(LpMessage message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (message instanceof LpMessage.Command c) {
            out.write(STX);
            out.writeBytes(ascii(c.command() + c.sub() + c.data()));
        } else if (message instanceof LpMessage.Ack) {
            out.write(ACK);
            out.writeBytes(ascii("00"));
        } else if (message instanceof LpMessage.Nak n) {
            out.write(NAK);
            out.writeBytes(ascii(n.code()));
        } else {
            throw new IllegalArgumentException("Garbled bytes are never sent");
        }
        if (options.checksum()) {
            out.writeBytes(ascii(checksum(out.toByteArray())));
        }
        out.write(CR);
        if (options.crlf()) {
            out.write(LF);
        }
        return out.toByteArray();
    }

    /** Reads one message whose end code was already removed; never throws, whatever the bytes. */
    public LpMessage decode(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        if (bytes.length == 0) {
            return new LpMessage.Garbled(text, "empty message");
        }
        String body = text;
        if (options.checksum()) {
            if (bytes.length < 3) {
                return new LpMessage.Garbled(text, "too short to carry a checksum");
            }
            body = text.substring(0, text.length() - 2);
            String expected = checksum(body.getBytes(StandardCharsets.ISO_8859_1));
            if (!expected.equals(text.substring(text.length() - 2))) {
                return new LpMessage.Garbled(text, "checksum " + text.substring(text.length() - 2) + " where "
                        + expected + " was due");
            }
        }
        char start = body.charAt(0);
        String rest = body.substring(1);
        if (start == ACK) {
            return "00".equals(rest) ? new LpMessage.Ack() : new LpMessage.Garbled(text, "ACK without response code 00");
        }
        if (start == NAK) {
            return rest.matches("[0-9]{2}") ? new LpMessage.Nak(rest)
                    : new LpMessage.Garbled(text, "NAK without a two-digit response code");
        }
        if (start == STX && rest.length() >= 4 && rest.substring(0, 3).matches("[A-Z]{3}")
                && "SRA".indexOf(rest.charAt(3)) >= 0) {
            return new LpMessage.Command(rest.substring(0, 3), rest.charAt(3), rest.substring(4));
        }
        return new LpMessage.Garbled(text, "neither STX command, ACK nor NAK");
    }

    /** Two uppercase hex characters of the lower byte of the sum of {@code bytes}. */
    public static String checksum(byte[] bytes) {
        int sum = 0;
        for (byte b : bytes) {
            sum += b & 0xFF;
        }
        return String.format(Locale.ROOT, "%02X", sum & 0xFF);
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** For logs: control characters as their names, other bytes outside printable ASCII as \xNN. */
    public static String visible(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            int c = b & 0xFF;
            switch (c) {
                case STX -> out.append("[STX]");
                case ACK -> out.append("[ACK]");
                case NAK -> out.append("[NAK]");
                case CR -> out.append("[CR]");
                case LF -> out.append("[LF]");
                case 0x1D -> out.append("[GS]");
                default -> out.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c)
                        : String.format(Locale.ROOT, "\\x%02X", c));
            }
        }
        return out.toString();
    }

    /**
     * Splits a byte stream into messages at the end code. A CR ends a message; an LF right after
     * it belongs to a CR LF end code and is dropped, so both settings read the same. Bytes beyond
     * {@link #MAX_MESSAGE} without an end code are line noise: they are reported and skipped.
     */
    public static final class Splitter {
        private final Consumer<byte[]> messages;
        private final ByteArrayOutputStream current = new ByteArrayOutputStream();
        private boolean afterCr;

        public Splitter(Consumer<byte[]> messages) {
            this.messages = messages;
        }

        public void accept(byte[] chunk) {
            for (byte b : chunk) {
                if (b == LF && afterCr) {
                    afterCr = false;
                    continue;
                }
                afterCr = b == CR;
                if (b == CR) {
                    byte[] message = current.toByteArray();
                    current.reset();
                    messages.accept(message);
                } else if (current.size() >= MAX_MESSAGE) {
                    byte[] message = current.toByteArray();
                    current.reset();
                    current.write(b);
                    messages.accept(message);
                } else {
                    current.write(b);
                }
            }
        }
    }
}
