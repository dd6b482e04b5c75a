package io.tracemark.trace.scan;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tracemark.trace.code.DigitalLink;
import io.tracemark.trace.gs1.Gs1Keys;

/**
 * What a decoded symbol holds, as a code of this service: a Digital Link URI (QR code) or a GS1
 * element string (Data Matrix, where ZXing gives AI 01 and 21 run together, FNC1 as GS).
 */
final class ScannedCode {

    private static final char GS = '\u001D';
    /** Unbracketed element string: 01 GTIN-14, optional 10 lot ended by GS, 21 serial. */
    private static final Pattern RAW = Pattern.compile("(?:\\]d2|\\]Q3|\\]C1)?01(\\d{14})(?:10([^" + GS + "]{1,20})"
            + GS + ")?21([^" + GS + "]{1,20})" + GS + "?");

    /**
     * What a lot or serial may hold to be written into this service's path as it is: GS1 character
     * set 82 less what a URI path must escape. Every code the service issues fits; a symbol that
     * holds a space, a slash or a stray % names no page here.
     */
    private static final Pattern PATH_SAFE = Pattern.compile("[!&'()*+,\\-.0-9:;=A-Z_a-z]{1,20}");

    private ScannedCode() {
    }

    /**
     * The code a decoded text names, or empty when it is no Digital Link or element string, or
     * when its lot or serial could not be written into its {@link #path}.
     */
    static Optional<DigitalLink> parse(String text) {
        Matcher raw = RAW.matcher(text.strip());
        Optional<DigitalLink> code = raw.matches()
                ? Gs1Keys.gtin14(raw.group(1)).map(gtin -> new DigitalLink(gtin, raw.group(2), raw.group(3)))
                : DigitalLink.parse(text);
        return code.filter(link -> PATH_SAFE.matcher(link.serial()).matches()
                && (link.lot() == null || PATH_SAFE.matcher(link.lot()).matches()));
    }

    /**
     * Whether a decoded text points at one of the given hosts: element strings name none and are
     * always ours; a URI must be on this service's resolver host or the host the photo was sent to.
     */
    static boolean onHost(String text, String... hosts) {
        if (!text.strip().toLowerCase(Locale.ROOT).startsWith("http")) {
            return true;
        }
        String host;
        try {
            host = URI.create(text.strip()).getHost();
        } catch (IllegalArgumentException e) {
            return false;
        }
        for (String allowed : hosts) {
            if (host != null && host.equalsIgnoreCase(allowed)) {
                return true;
            }
        }
        return false;
    }

    /** The path of the code on this service, where its page and JSON are. */
    static String path(DigitalLink link) {
        return "/01/" + link.gtin14() + (link.lot() == null ? "" : "/10/" + link.lot()) + "/21/" + link.serial();
    }
}
