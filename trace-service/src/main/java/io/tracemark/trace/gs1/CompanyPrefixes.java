package io.tracemark.trace.gs1;

import java.util.Comparator;
import java.util.List;

/**
 * Where a GS1 Company Prefix ends inside a key. GS1 assigns prefixes of 6 to 12 digits and a key
 * does not say which: this repository knows the prefixes it was configured with and assumes a
 * default length for every other key. A wrong guess writes a URN whose dot sits elsewhere; it
 * still names the same key and converts back to the same Digital Link.
 */
public final class CompanyPrefixes {

    private final List<String> known;
    private final int defaultLength;

    public CompanyPrefixes(List<String> known, int defaultLength) {
        if (defaultLength < 6 || defaultLength > 12) {
            throw new IllegalArgumentException("a GS1 company prefix has 6 to 12 digits, not " + defaultLength);
        }
        for (String prefix : known) {
            if (!prefix.matches("\\d{6,12}")) {
                throw new IllegalArgumentException("GS1 company prefix '" + prefix + "' must be 6 to 12 digits");
            }
        }
        this.known = known.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        this.defaultLength = defaultLength;
    }

    /**
     * The company prefix length for a key whose prefix starts at the first character of
     * {@code digits}, at most {@code room} digits (what the key leaves for prefix and reference).
     */
    public int lengthFor(String digits, int room) {
        for (String prefix : known) {
            if (prefix.length() <= room && digits.startsWith(prefix)) {
                return prefix.length();
            }
        }
        int length = Math.min(defaultLength, room);
        int leadingDigits = 0;
        while (leadingDigits < digits.length() && Character.isDigit(digits.charAt(leadingDigits))) {
            leadingDigits++;
        }
        return Math.max(1, Math.min(length, leadingDigits));
    }
}
