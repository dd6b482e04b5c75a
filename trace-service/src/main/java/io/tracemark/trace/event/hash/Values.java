package io.tracemark.trace.event.hash;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Comparator;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/** The value rules of the event hash: what one value looks like in the pre-hash string. */
final class Values {

    /** CBV 2.0 rule 10: strings sort by code point, as UTF-8 bytes would. */
    static final Comparator<String> CODE_POINT_ORDER = Values::compareCodePoints;

    private static final DateTimeFormatter PARSER = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .optionalEnd()
            .appendOffset("+HH:MM", "Z")
            .toFormatter();

    private static final DateTimeFormatter UTC_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /**
     * A decimal number as the reference reads one. The exponent is bounded so that a hostile
     * "1e999999999" cannot make us write out a billion digits.
     */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d{1,3})?");

    private static final String[][] CBV_URN_TO_WEB = {
        {"urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-"},
        {"urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-"},
        {"urn:epcglobal:cbv:btt:", "https://ref.gs1.org/cbv/BTT-"},
        {"urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-"},
        {"urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-"},
    };

    /** What every CBV URN above starts with. */
    private static final String CBV_URN = "urn:epcglobal:cbv:";

    private Values() {
    }

    /** The text of a scalar JSON value, or null for what carries no value (null, objects, arrays). */
    static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode() || node.isContainerNode()) {
            return null;
        }
        if (node.isNumber()) {
            // Through BigDecimal so that 26.2 reads "26.2" and not a binary float expansion.
            return node.decimalValue().toPlainString();
        }
        return node.asText();
    }

    /**
     * Rules 5, 6, 7, 14, 15, 17 and 18 for one value: trimmed, compact IRIs expanded, CBV URNs
     * written as CBV Web URIs, numbers without trailing zeros, and GS1 identifiers as constrained
     * canonical Digital Links.
     */
    static String canonical(String raw) {
        String value = raw.strip();
        if (value.isEmpty()) {
            return value;
        }
        value = Namespaces.expandValue(value);
        if (value.contains(CBV_URN)) {
            for (String[] urnToWeb : CBV_URN_TO_WEB) {
                value = value.replace(urnToWeb[0], urnToWeb[1]);
            }
        }
        value = number(value);
        String link = DigitalLinks.normalise(value);
        return link != null ? link : value;
    }

    /**
     * A standard vocabulary value (bizStep, disposition, a type...): JSON-LD writes the standard
     * terms bare ("receiving"), and rule 16 hashes them under their full Web URI.
     */
    static String vocabulary(String raw, String termBase) {
        String value = raw.strip();
        if (!value.isEmpty() && value.indexOf(':') < 0) {
            value = termBase + value;
        }
        return canonical(value);
    }

    /**
     * Rules 8 and 9: UTC, 'Z', exactly three fraction digits, further digits rounded half up.
     * A value that is no timestamp is kept as written, as the reference does.
     */
    static String timestamp(String raw) {
        String value = raw.strip();
        String plain = plainTimestamp(value);
        return plain != null ? plain : parsedTimestamp(value);
    }

    /** The timestamp rule through the full parser, for every way of writing a time it reads. */
    static String parsedTimestamp(String value) {
        OffsetDateTime parsed;
        try {
            parsed = OffsetDateTime.parse(value, PARSER);
        } catch (DateTimeParseException e) {
            return value;
        }
        Instant instant = parsed.toInstant();
        long millis = BigDecimal.valueOf(instant.getNano()).movePointLeft(6).setScale(0, RoundingMode.HALF_UP).longValue();
        return UTC_MILLIS.format(Instant.ofEpochSecond(instant.getEpochSecond()).plusMillis(millis));
    }

    /**
     * The timestamp rule for the way nearly every event writes its time,
     * {@code 2026-11-23T10:15:30[.f…]Z} or {@code …+01:00}, without the general parser's cost; null
     * for anything else (lower case, no seconds, days after the 28th, offsets of 18 hours, years
     * that leave four digits), which {@link #parsedTimestamp} then reads. Both give the same text.
     */
    static String plainTimestamp(String v) {
        int n = v.length();
        if (n < 20 || v.charAt(4) != '-' || v.charAt(7) != '-' || v.charAt(10) != 'T' || v.charAt(13) != ':'
                || v.charAt(16) != ':') {
            return null;
        }
        int year = digits(v, 0, 4);
        int month = digits(v, 5, 2);
        int day = digits(v, 8, 2);
        int hour = digits(v, 11, 2);
        int minute = digits(v, 14, 2);
        int second = digits(v, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 28 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int i = 19;
        long nano = 0;
        if (v.charAt(i) == '.') {
            int start = ++i;
            while (i < n && v.charAt(i) >= '0' && v.charAt(i) <= '9') {
                i++;
            }
            int count = i - start;
            if (count < 1 || count > 9) {
                return null;
            }
            nano = digits(v, start, count);
            for (int k = count; k < 9; k++) {
                nano *= 10;
            }
        }
        int offsetSeconds;
        if (i == n - 1 && v.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == n - 6 && (v.charAt(i) == '+' || v.charAt(i) == '-') && v.charAt(i + 3) == ':') {
            int hours = digits(v, i + 1, 2);
            int minutes = digits(v, i + 4, 2);
            if (hours < 0 || hours > 17 || minutes < 0 || minutes > 59) {
                return null;
            }
            offsetSeconds = (v.charAt(i) == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
        } else {
            return null;
        }
        long epochSecond = LocalDate.of(year, month, day).toEpochDay() * 86_400L + hour * 3600L + minute * 60L + second
                - offsetSeconds;
        long millis = (nano + 500_000) / 1_000_000;
        LocalDateTime utc = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC).plusNanos(millis * 1_000_000);
        if (utc.getYear() < 0 || utc.getYear() > 9999) {
            return null;
        }
        StringBuilder out = new StringBuilder(24);
        pad(out, utc.getYear(), 4).append('-');
        pad(out, utc.getMonthValue(), 2).append('-');
        pad(out, utc.getDayOfMonth(), 2).append('T');
        pad(out, utc.getHour(), 2).append(':');
        pad(out, utc.getMinute(), 2).append(':');
        pad(out, utc.getSecond(), 2).append('.');
        return pad(out, utc.getNano() / 1_000_000, 3).append('Z').toString();
    }

    /** The value of {@code count} ASCII digits at {@code from}, or -1 when one of them is no digit. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static StringBuilder pad(StringBuilder out, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(digits);
    }

    /** Rule 6: a number without trailing zeros; anything else unchanged. */
    static String number(String value) {
        // A number starts with a sign, a digit or a point; most values do not, and skip the pattern.
        char first = value.isEmpty() ? ' ' : value.charAt(0);
        if (first != '+' && first != '-' && first != '.' && (first < '0' || first > '9')
                || !NUMBER.matcher(value).matches()) {
            return value;
        }
        BigDecimal number = new BigDecimal(value);
        if (number.signum() == 0) {
            // BigDecimal has no negative zero; the reference keeps the sign Python's Decimal keeps.
            return value.startsWith("-") ? "-0" : "0";
        }
        BigDecimal stripped = number.stripTrailingZeros();
        return stripped.scale() <= 0 ? stripped.toBigIntegerExact().toString() : stripped.toPlainString();
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
