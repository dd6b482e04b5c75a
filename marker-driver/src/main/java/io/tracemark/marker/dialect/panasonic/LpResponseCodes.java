package io.tracemark.marker.dialect.panasonic;

import java.util.Map;

import io.tracemark.marker.MarkerFault;

/**
 * The error causes of a negative response, [NAK] and two digits (ME-LP-GS-SR-COMP-3, 2-3-3,
 * "Response code details", p.34). Whatever the code, the marker invalidated the whole request.
 */
final class LpResponseCodes {

    private static final Map<String, String> CAUSES = Map.ofEntries(
            Map.entry("01", "Incorrect start code"),
            Map.entry("02", "Incorrect end code"),
            Map.entry("03", "Unacceptable command with the current laser marker status: the internal shutter is"
                    + " open or command reception permission (MKM) is not ON, or guide laser or measurement"
                    + " radiation is running"),
            Map.entry("04", "No applicable command, or not available in LP-400/V compatible command mode"),
            Map.entry("05", "Incorrect check sum"),
            Map.entry("06", "Incorrect data length"),
            Map.entry("07", "Unacceptable command for the I/O terminal control settings"),
            Map.entry("08", "Incorrect sub command"),
            Map.entry("09", "Invalid variable-length or fixed-length data part: a value that cannot be combined,"
                    + " an invalid or too many characters, a value out of range, or over the maximum length"),
            Map.entry("10", "Unacceptable command because of an alarm or a warning"),
            Map.entry("11", "SIN command is not acceptable"),
            Map.entry("12", "Unable to register data due to a lack of memory capacity"));

    private LpResponseCodes() {
    }

    /** The manual's error cause for {@code code}; codes past those listed on p.34 are named as such. */
    static String cause(String code) {
        String cause = CAUSES.get(code);
        return cause != null ? cause
                : "Response code " + code + " (see ME-LP-GS-SR-COMP-3 p.34-35, response code details)";
    }

    /** The negative response as a driver fault: code "NAKnn" and the manual's cause. */
    static MarkerFault fault(String code) {
        return new MarkerFault("NAK" + code, cause(code));
    }
}
