package io.tracemark.marker.dialect.panasonic;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The code data of a GS1 element string as the BCS command takes it: application identifiers
 * and their values run together, with GS (1D hex) as FNC1 after every value of variable length
 * that another element follows (ME-LP-GS-SR-COMP-3, 3-7-1, p.88: "you can use GS: 1D (HEX) as
 * FNC1 and as the separator of the Application identifiers"; read back as GS). An order whose
 * content is written {@code (01)09506000134352(21)ABC} goes into a GS1 DataMatrix object this way;
 * any other content (a Digital Link URI) goes as it is.
 *
 * <p>Which identifiers have a predefined length, and so need no separator, follows the GS1
 * General Specifications, figure 5.10.1-2 (prefixes 00-04, 11-20, 31-36, 41).
 */
final class Gs1CodeData {

    static final char GS = 0x1D;

    private static final Pattern ELEMENT_STRING = Pattern.compile("(?:\\(([0-9]{2,4})\\)([!-'*-~ ]+))+");
    private static final Pattern ELEMENT = Pattern.compile("\\(([0-9]{2,4})\\)([^()]+)");

    private Gs1CodeData() {
    }

    /** The code data for {@code content}: FNC1-separated when it is a bracketed element string. */
    static String encode(String content) {
        if (!ELEMENT_STRING.matcher(content).matches()) {
            return content;
        }
        StringBuilder out = new StringBuilder();
        Matcher m = ELEMENT.matcher(content);
        boolean separatorDue = false;
        while (m.find()) {
            if (separatorDue) {
                out.append(GS);
            }
            out.append(m.group(1)).append(m.group(2));
            separatorDue = !predefinedLength(m.group(1));
        }
        return out.toString();
    }

    private static boolean predefinedLength(String ai) {
        int prefix = Integer.parseInt(ai.substring(0, 2));
        return prefix <= 4 || (prefix >= 11 && prefix <= 20) || (prefix >= 31 && prefix <= 36) || prefix == 41;
    }
}
