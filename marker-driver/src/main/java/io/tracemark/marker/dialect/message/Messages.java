package io.tracemark.marker.dialect.message;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tracemark.marker.MarkReport;
import io.tracemark.marker.MarkerFault;
import io.tracemark.marker.MarkerStatus;

/**
 * The Tracemark marker command set as text, without line ends or frames around it: the ascii
 * dialect sends each message as a CR-terminated line, the framed dialect as a frame's payload.
 * Byte-exact syntax: docs/markers/ascii.md.
 */
public final class Messages {

    /** Longest message either side accepts, not counting its terminator or frame. */
    public static final int MAX_LENGTH = 16_384;

    /** Job names the command set can carry: no spaces, so that a status line stays splittable. */
    public static final Pattern JOB_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,32}");

    /** Tag of answers to a command line the marker could not read the tag of. */
    public static final String UNKNOWN_TAG = "--";

    /** Fault code Tracemark reports when the marker announces a restart ({@code !BT}). */
    public static final String REBOOTED = "REBOOTED";

    public static final int MAX_LOG = 9_999;

    private static final Pattern ANSWER = Pattern.compile(">([0-9A-F]{2}|--) (OK|ER|LG)(?: (.*))?");
    private static final Pattern REFUSAL = Pattern.compile("([0-9]{3})(?: (.*))?");
    private static final Pattern COMPLETION = Pattern.compile("!MC ([0-9A-Za-z]{1,32}) (OK|FAIL)(?: (.*))?");
    private static final Pattern FAULT = Pattern.compile("!FT ([A-Z0-9_]{1,16})(?: (.*))?");
    private static final Pattern BOOT = Pattern.compile("!BT (-?[0-9]{1,19})");
    private static final Pattern RECORD = Pattern.compile("([0-9A-Za-z]{1,32}) (OK|FAIL)(?: (.*))?");
    private static final Pattern FIELD = Pattern.compile("([A-Z]+)=(\\S*)");
    private static final Pattern ID_LIST = Pattern.compile("[0-9A-Za-z]{1,32}(,[0-9A-Za-z]{1,32})*");

    private Messages() {
    }

    /** Tags are two uppercase hex digits; the counter wraps after FF. */
    public static String tag(int counter) {
        return String.format(Locale.ROOT, "%02X", counter & 0xFF);
    }

    /** A command line without its terminator: {@code TT VERB[ arguments]}. */
    public static String command(String tag, String verb, String arguments) {
        return arguments == null || arguments.isEmpty() ? tag + " " + verb : tag + " " + verb + " " + arguments;
    }

    /** Reads one message from the marker; never throws, whatever the bytes. */
    public static Inbound parse(String line) {
        String why = unprintable(line);
        if (why != null) {
            return new Inbound.Garbage(line, why);
        }
        if (line.startsWith(">")) {
            return answer(line);
        }
        if (line.startsWith("!")) {
            return event(line);
        }
        return new Inbound.Garbage(line, "neither an answer (>) nor an event (!)");
    }

    /** The line with every byte outside printable ASCII as {@code \xNN}, fit for a log. */
    public static String visible(String line) {
        StringBuilder out = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c >= 0x20 && c <= 0x7e) {
                out.append(c);
            } else {
                out.append(String.format(Locale.ROOT, "\\x%02X", (int) c));
            }
        }
        return out.toString();
    }

    private static String unprintable(String line) {
        if (line.length() > MAX_LENGTH) {
            return "longer than " + MAX_LENGTH + " characters";
        }
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return String.format(Locale.ROOT, "byte 0x%02X at %d is not printable ASCII", (int) c, i);
            }
        }
        return null;
    }

    private static Inbound answer(String line) {
        Matcher m = ANSWER.matcher(line);
        if (!m.matches()) {
            return new Inbound.Garbage(line, "malformed answer");
        }
        String tag = m.group(1);
        String rest = m.group(3) == null ? "" : m.group(3);
        return switch (m.group(2)) {
            case "OK" -> new Inbound.Reply(tag, rest);
            case "LG" -> new Inbound.Item(tag, rest);
            default -> refusal(line, tag, rest);
        };
    }

    private static Inbound refusal(String line, String tag, String rest) {
        Matcher m = REFUSAL.matcher(rest);
        if (!m.matches()) {
            return new Inbound.Garbage(line, "error answer without a three-digit code");
        }
        return new Inbound.Refusal(tag, Integer.parseInt(m.group(1)), m.group(2) == null ? "" : m.group(2));
    }

    private static Inbound event(String line) {
        Matcher m = COMPLETION.matcher(line);
        if (m.matches()) {
            return new Inbound.Completion(report(m.group(1), m.group(2), m.group(3)));
        }
        m = FAULT.matcher(line);
        if (m.matches()) {
            return new Inbound.FaultRaised(new MarkerFault(m.group(1), m.group(2) == null ? "" : m.group(2)));
        }
        m = BOOT.matcher(line);
        if (m.matches()) {
            try {
                return new Inbound.Booted(Long.parseLong(m.group(1)));
            } catch (NumberFormatException e) {
                return new Inbound.Garbage(line, "boot id out of range");
            }
        }
        return new Inbound.Garbage(line, "unknown or malformed event");
    }

    private static MarkReport report(String id, String result, String detail) {
        return "OK".equals(result) ? MarkReport.marked(id) : MarkReport.failed(id, detail == null ? "" : detail);
    }

    /** The data of an answer to {@code STA}; throws IllegalArgumentException when it is not one. */
    public static MarkerStatus status(String data) {
        Map<String, String> fields = new HashMap<>();
        for (String token : data.split(" ")) {
            Matcher m = FIELD.matcher(token);
            if (!m.matches()) {
                throw new IllegalArgumentException("status field '" + token + "' is not KEY=value");
            }
            fields.put(m.group(1), m.group(2));
        }
        String ready = required(fields, "R");
        if (!ready.equals("0") && !ready.equals("1")) {
            throw new IllegalArgumentException("R=" + ready + " is neither 0 nor 1");
        }
        return new MarkerStatus(ready.equals("1"), emptyAsNull(required(fields, "J")), ids(required(fields, "Q")),
                number(fields, "C"), longNumber(fields, "B"), emptyAsNull(required(fields, "F")));
    }

    /** One {@code LG} record of an answer to {@code LOG}; throws IllegalArgumentException when it is not one. */
    public static MarkReport logRecord(String data) {
        Matcher m = RECORD.matcher(data);
        if (!m.matches()) {
            throw new IllegalArgumentException("log record '" + data + "' is not 'id OK' or 'id FAIL detail'");
        }
        return report(m.group(1), m.group(2), m.group(3));
    }

    private static String required(Map<String, String> fields, String key) {
        String value = fields.get(key);
        if (value == null) {
            throw new IllegalArgumentException("status lacks field " + key);
        }
        return value;
    }

    private static int number(Map<String, String> fields, String key) {
        try {
            return Integer.parseInt(required(fields, key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + fields.get(key) + " is not a number");
        }
    }

    private static long longNumber(Map<String, String> fields, String key) {
        try {
            return Long.parseLong(required(fields, key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + fields.get(key) + " is not a number");
        }
    }

    private static List<String> ids(String list) {
        if (list.isEmpty()) {
            return List.of();
        }
        if (!ID_LIST.matcher(list).matches()) {
            throw new IllegalArgumentException("Q=" + list + " is not a comma-separated list of mark ids");
        }
        return new ArrayList<>(List.of(list.split(",")));
    }

    private static String emptyAsNull(String value) {
        return value.isEmpty() ? null : value;
    }
}
