package io.tracemark.trace.event.hash;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
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
        for (String[] urnToWeb : CBV_URN_TO_WEB) {
            value = value.replace(urnToWeb[0], urnToWeb[1]);
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

    /** Rule 6: a number without trailing zeros; anything else unchanged. */
    static String number(String value) {
        if (!NUMBER.matcher(value).matches()) {
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
