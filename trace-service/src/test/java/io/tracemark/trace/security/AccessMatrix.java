package io.tracemark.trace.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The expected answer of every route to every caller, as the text table {@code access-matrix.txt}
 * states it: one row per route ({@code METHOD /path/{param}}), one column per caller, each cell a
 * status code. Lines starting with {@code #} are comments; blank lines are ignored.
 */
final class AccessMatrix {

    static final String RESOURCE = "access-matrix.txt";
    static final String START = "<!-- access-matrix:start -->";
    static final String END = "<!-- access-matrix:end -->";

    /** Who calls: no credentials, each role, and a station key and a partner that stand for someone else. */
    enum Caller {
        PUBLIC("public"), ADMIN("admin"), OPERATOR("operator"), REGULATOR("regulator"), PARTNER("partner"),
        STATION("station"), OTHER_STATION("other-station"), OTHER_PARTNER("other-partner");

        final String column;

        Caller(String column) {
            this.column = column;
        }
    }

    private final Map<String, Map<Caller, Integer>> rows;

    private AccessMatrix(Map<String, Map<Caller, Integer>> rows) {
        this.rows = rows;
    }

    static AccessMatrix load() {
        try (InputStream in = AccessMatrix.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing next to " + AccessMatrix.class.getName());
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static AccessMatrix parse(String text) {
        Map<String, Map<Caller, Integer>> rows = new LinkedHashMap<>();
        int number = 0;
        for (String line : text.split("\n")) {
            number++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] cells = trimmed.split("\\|");
            if (cells.length != Caller.values().length + 1) {
                throw new IllegalStateException(RESOURCE + " line " + number + " has " + (cells.length - 1)
                        + " statuses, the header names " + Caller.values().length + ": " + trimmed);
            }
            Map<Caller, Integer> statuses = new LinkedHashMap<>();
            for (Caller caller : Caller.values()) {
                statuses.put(caller, Integer.parseInt(cells[caller.ordinal() + 1].strip()));
            }
            if (rows.put(cells[0].strip(), statuses) != null) {
                throw new IllegalStateException(RESOURCE + " line " + number + " repeats the route " + cells[0].strip());
            }
        }
        return new AccessMatrix(rows);
    }

    List<String> routes() {
        return List.copyOf(rows.keySet());
    }

    boolean has(String route) {
        return rows.containsKey(route);
    }

    int expected(String route, Caller caller) {
        return rows.get(route).get(caller);
    }

    /** The header line of the table, as the file has it. */
    static String header() {
        return row("# route", Arrays.stream(Caller.values()).map(caller -> caller.column).toList());
    }

    /** A row in the file's format, ready to paste. */
    static String row(String route, List<String> cells) {
        StringBuilder line = new StringBuilder(String.format("%-52s", route));
        for (int i = 0; i < cells.size(); i++) {
            line.append("| ").append(String.format("%-" + Math.max(4, Caller.values()[i].column.length() + 1) + "s",
                    cells.get(i)));
        }
        return line.toString().stripTrailing();
    }

    static String row(String route, Map<Caller, Integer> statuses) {
        return row(route, Arrays.stream(Caller.values()).map(caller -> String.valueOf(statuses.get(caller))).toList());
    }

    /** The table as Markdown, for docs/security.md. */
    String markdown() {
        StringBuilder table = new StringBuilder("| route |");
        for (Caller caller : Caller.values()) {
            table.append(' ').append(caller.column).append(" |");
        }
        table.append("\n|---|").append("---|".repeat(Caller.values().length)).append('\n');
        rows.forEach((route, statuses) -> table.append("| `").append(route).append("` | ")
                .append(statuses.values().stream().map(String::valueOf).collect(Collectors.joining(" | ")))
                .append(" |\n"));
        return table.toString();
    }

    /**
     * Rewrites the generated part of the document between the markers, adding the section at the end
     * when the document does not have it yet.
     */
    static void writeInto(Path document, String section) throws IOException {
        String generated = START + "\n" + section + END;
        String text = Files.exists(document) ? Files.readString(document) : "# Security\n";
        int start = text.indexOf(START);
        int end = text.indexOf(END);
        String updated;
        if (start >= 0 && end > start) {
            updated = text.substring(0, start) + generated + text.substring(end + END.length());
        } else {
            updated = text.stripTrailing() + "\n\n" + generated + "\n";
        }
        if (!updated.equals(text)) {
            Files.writeString(document, updated);
        }
    }

    /** The routes of the table that the document no longer has. */
    List<String> stale(List<String> documented) {
        List<String> stale = new ArrayList<>(rows.keySet());
        stale.removeAll(documented);
        return stale;
    }
}
