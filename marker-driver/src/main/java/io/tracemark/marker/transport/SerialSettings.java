package io.tracemark.marker.transport;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How to open one serial port: its path and line settings. Stations are configured with a port
 * path and a compact line specification such as {@code "115200,8N1,rtscts"}, see {@link #parse}.
 *
 * @param port        the device path, e.g. {@code /dev/ttyUSB0} or a udev symlink to it
 * @param baud        bits per second
 * @param dataBits    5 to 8
 * @param parity      parity bit
 * @param stopBits    stop bits; 1.5 only with 5 data bits, the only width UARTs define it for
 * @param flowControl handshake
 */
public record SerialSettings(String port, int baud, int dataBits, Parity parity, StopBits stopBits,
        FlowControl flowControl) {

    /** Slowest and fastest rates accepted; outside them a value is a typo rather than a setting. */
    public static final int MIN_BAUD = 50;
    public static final int MAX_BAUD = 4_000_000;

    private static final Pattern FRAMING = Pattern.compile("([5-8])([NEOMS])(1|1\\.5|2)");

    /** The parity bit after the data bits. */
    public enum Parity {
        NONE('N'), EVEN('E'), ODD('O'), MARK('M'), SPACE('S');

        private final char letter;

        Parity(char letter) {
            this.letter = letter;
        }

        /** The letter in "8N1". */
        public char letter() {
            return letter;
        }

        static Parity ofLetter(char letter) {
            for (Parity p : values()) {
                if (p.letter == letter) {
                    return p;
                }
            }
            throw new IllegalArgumentException("Unknown parity letter '" + letter + "' (N, E, O, M or S)");
        }
    }

    /** Stop bits after each character. */
    public enum StopBits {
        ONE("1"), ONE_AND_HALF("1.5"), TWO("2");

        private final String text;

        StopBits(String text) {
            this.text = text;
        }

        /** The figure in "8N1". */
        public String text() {
            return text;
        }

        static StopBits ofText(String text) {
            for (StopBits s : values()) {
                if (s.text.equals(text)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("Unknown stop bits '" + text + "' (1, 1.5 or 2)");
        }
    }

    /** Handshake that pauses the sender when the receiver is full. */
    public enum FlowControl {
        NONE("none"), RTS_CTS("rtscts"), XON_XOFF("xonxoff");

        private final String keyword;

        FlowControl(String keyword) {
            this.keyword = keyword;
        }

        /** The word in a line specification. */
        public String keyword() {
            return keyword;
        }

        static FlowControl ofKeyword(String keyword) {
            for (FlowControl f : values()) {
                if (f.keyword.equals(keyword)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("Unknown flow control '" + keyword + "' (none, rtscts or xonxoff)");
        }
    }

    public SerialSettings {
        if (port == null || port.isBlank()) {
            throw new IllegalArgumentException("A serial port path is required, e.g. /dev/ttyUSB0");
        }
        if (baud < MIN_BAUD || baud > MAX_BAUD) {
            throw new IllegalArgumentException(
                    "Baud rate " + baud + " is outside " + MIN_BAUD + " to " + MAX_BAUD + " for " + port);
        }
        if (dataBits < 5 || dataBits > 8) {
            throw new IllegalArgumentException("Data bits must be 5 to 8, not " + dataBits + " for " + port);
        }
        if (parity == null || stopBits == null || flowControl == null) {
            throw new IllegalArgumentException("Parity, stop bits and flow control are required for " + port);
        }
        if (stopBits == StopBits.ONE_AND_HALF && dataBits != 5) {
            throw new IllegalArgumentException("1.5 stop bits exist only with 5 data bits, not " + dataBits
                    + " for " + port);
        }
    }

    /** 8 data bits, no parity, 1 stop bit, no flow control: what most markers ship with. */
    public static SerialSettings of(String port, int baud) {
        return new SerialSettings(port, baud, 8, Parity.NONE, StopBits.ONE, FlowControl.NONE);
    }

    /**
     * Reads a line specification: {@code baud[,framing[,flow]]}, where framing is data bits,
     * parity letter and stop bits ({@code 8N1}, {@code 7E2}, {@code 5N1.5}; default 8N1) and flow is
     * {@code none}, {@code rtscts} or {@code xonxoff} (default none). Case and spaces around commas
     * do not matter: {@code "115200, 8n1, RTSCTS"} is the same as {@code "115200,8N1,rtscts"}.
     */
    public static SerialSettings parse(String port, String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("An empty line specification for " + port
                    + "; expected e.g. 115200,8N1,none");
        }
        String[] parts = spec.split(",", -1);
        if (parts.length > 3) {
            throw new IllegalArgumentException("Line specification '" + spec
                    + "' has more than baud, framing and flow control");
        }
        int baud = parseBaud(parts[0].trim(), spec);
        String framing = parts.length > 1 ? parts[1].trim().toUpperCase(Locale.ROOT) : "8N1";
        Matcher m = FRAMING.matcher(framing);
        if (!m.matches()) {
            throw new IllegalArgumentException("Framing '" + framing + "' in '" + spec
                    + "' is not data bits, parity and stop bits such as 8N1 or 7E2");
        }
        FlowControl flow = parts.length > 2
                ? FlowControl.ofKeyword(parts[2].trim().toLowerCase(Locale.ROOT))
                : FlowControl.NONE;
        return new SerialSettings(port, baud, Integer.parseInt(m.group(1)), Parity.ofLetter(m.group(2).charAt(0)),
                StopBits.ofText(m.group(3)), flow);
    }

    private static int parseBaud(String text, String spec) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Baud rate '" + text + "' in '" + spec + "' is not a number");
        }
    }

    /** "8N1", "7E2", "5N1.5". */
    public String framing() {
        return "" + dataBits + parity.letter() + stopBits.text();
    }

    /** The line specification {@link #parse} reads back, e.g. "115200,8N1,none". */
    public String spec() {
        return baud + "," + framing() + "," + flowControl.keyword();
    }

    /** For logs: "/dev/ttyUSB0 115200 8N1", with the flow control appended when there is one. */
    public String describe() {
        String line = port + " " + baud + " " + framing();
        return flowControl == FlowControl.NONE ? line : line + " " + flowControl.keyword();
    }
}
