package io.tracemark.trace.gs1;

import java.util.Optional;

/**
 * GS1 identification keys: GTIN (8, 12, 13 or 14 digits, stored as GTIN-14), GLN-13 and SSCC-18
 * share the same mod-10 check digit, computed with weights 3 and 1 from the right.
 */
public final class Gs1Keys {

    private Gs1Keys() {
    }

    /**
     * The GTIN-14 form of a GTIN-8/12/13/14, padded with leading zeros, or empty when the text is
     * not a GTIN with a correct check digit.
     */
    public static Optional<String> gtin14(String gtin) {
        if (gtin == null) {
            return Optional.empty();
        }
        String digits = gtin.strip();
        int length = digits.length();
        if ((length != 8 && length != 12 && length != 13 && length != 14) || !allDigits(digits) || !checkDigitValid(digits)) {
            return Optional.empty();
        }
        return Optional.of("0".repeat(14 - length) + digits);
    }

    public static boolean isGln(String gln) {
        return gln != null && gln.length() == 13 && allDigits(gln) && checkDigitValid(gln);
    }

    /** Explains what is wrong with a would-be GTIN, for error messages. */
    public static String whyNotGtin(String gtin) {
        if (gtin == null || gtin.isBlank()) {
            return "is required";
        }
        String digits = gtin.strip();
        if (!allDigits(digits)) {
            return "must contain digits only";
        }
        int length = digits.length();
        if (length != 8 && length != 12 && length != 13 && length != 14) {
            return "must have 8, 12, 13 or 14 digits, not " + length;
        }
        return "has a wrong check digit (expected " + checkDigit(digits.substring(0, length - 1)) + ")";
    }

    public static String whyNotGln(String gln) {
        if (gln == null || gln.isBlank()) {
            return "is required";
        }
        if (!allDigits(gln)) {
            return "must contain digits only";
        }
        if (gln.length() != 13) {
            return "must have 13 digits, not " + gln.length();
        }
        return "has a wrong check digit (expected " + checkDigit(gln.substring(0, 12)) + ")";
    }

    /** The GS1 mod-10 check digit for the given digits (the key without its last digit). */
    public static int checkDigit(String body) {
        int sum = 0;
        for (int i = 0; i < body.length(); i++) {
            int digit = body.charAt(body.length() - 1 - i) - '0';
            sum += (i % 2 == 0) ? digit * 3 : digit;
        }
        return (10 - sum % 10) % 10;
    }

    private static boolean checkDigitValid(String key) {
        return checkDigit(key.substring(0, key.length() - 1)) == key.charAt(key.length() - 1) - '0';
    }

    private static boolean allDigits(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
