package io.tracemark.marker.dialect.panasonic;

import java.util.Locale;

/**
 * How one Panasonic LP marker is set up to talk, as its environment settings say (Serial
 * Communication Command Manual, LP-400/V compatible mode, ME-LP-GS-SR-COMP-3, 2-3-1, p.31):
 * checksum on or off (RS-232C only), CR or CR LF as end code (RS-232C only; Ethernet uses CR).
 * Baud rate, data bits, parity and stop bits are the serial transport's line settings. Which
 * bar code/2D code object receives the code and which counter counts the marks are the layout's.
 *
 * @param checksum whether every message carries the two-character checksum
 * @param crlf     whether messages end with CR LF rather than CR
 * @param object   the bar code/2D code object No. the codes go into, 0 to 7 (objects 1100 to 1107)
 * @param counter  the counter whose count timing is "marking trigger input", 0 to 7
 */
public record LpOptions(boolean checksum, boolean crlf, int object, int counter) {

    /** The marker's initial settings: no checksum, CR; object 0 and counter 0 of the file. */
    public static final LpOptions DEFAULTS = new LpOptions(false, false, 0, 0);

    public LpOptions {
        if (object < 0 || object > 7) {
            throw new IllegalArgumentException("The bar code/2D code object No. is 0 to 7, not " + object);
        }
        if (counter < 0 || counter > 7) {
            throw new IllegalArgumentException("The counter No. is 0 to 7, not " + counter);
        }
    }

    /**
     * Reads options such as {@code "checksum,crlf,object=2,counter=1"}: {@code checksum} or
     * {@code nochecksum}, {@code cr} or {@code crlf}, {@code object=N}, {@code counter=N}, in any
     * order; what is not named keeps its initial setting.
     */
    public static LpOptions parse(String text) {
        boolean checksum = DEFAULTS.checksum;
        boolean crlf = DEFAULTS.crlf;
        int object = DEFAULTS.object;
        int counter = DEFAULTS.counter;
        for (String raw : text.split(",")) {
            String option = raw.trim().toLowerCase(Locale.ROOT);
            if (option.isEmpty()) {
                continue;
            }
            switch (option) {
                case "checksum" -> checksum = true;
                case "nochecksum" -> checksum = false;
                case "cr" -> crlf = false;
                case "crlf" -> crlf = true;
                default -> {
                    if (option.startsWith("object=")) {
                        object = digit(option, "object=");
                    } else if (option.startsWith("counter=")) {
                        counter = digit(option, "counter=");
                    } else {
                        throw new IllegalArgumentException("Unknown Panasonic LP option '" + raw.trim()
                                + "'; known: checksum, nochecksum, cr, crlf, object=0..7, counter=0..7");
                    }
                }
            }
        }
        return new LpOptions(checksum, crlf, object, counter);
    }

    private static int digit(String option, String prefix) {
        String value = option.substring(prefix.length());
        if (!value.matches("[0-9]")) {
            throw new IllegalArgumentException("Option '" + option + "' needs one digit 0 to 7");
        }
        return Integer.parseInt(value);
    }

    /** The options as {@link #parse} reads them back. */
    public String spec() {
        return (checksum ? "checksum" : "nochecksum") + "," + (crlf ? "crlf" : "cr") + ",object=" + object
                + ",counter=" + counter;
    }
}
