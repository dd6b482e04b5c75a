package io.tracemark.trace.epcis;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.tracemark.trace.access.Visibility;
import io.tracemark.trace.gs1.EpcIdentifier;
import io.tracemark.trace.problem.Problem;
import io.tracemark.trace.problem.ProblemException;
import io.tracemark.trace.problem.ProblemType;

/**
 * An EPCIS SimpleEventQuery given as URL query parameters (pipe-separated lists, as the REST
 * binding writes them), compiled to SQL over the ledger. Every parameter is checked before the
 * query runs: a misspelt or unsupported parameter is an error, never silently ignored.
 */
final class EventQuery {

    enum Order {
        EVENT_TIME("e.event_time"), RECORD_TIME("e.record_time"), CAPTURE("e.id");

        final String column;

        Order(String column) {
            this.column = column;
        }
    }

    private static final Map<String, List<String>> EPC_MATCHES = Map.of(
            "MATCH_epc", List.of("EPC_LIST", "CHILD"),
            "MATCH_parentID", List.of("PARENT"),
            "MATCH_inputEPC", List.of("INPUT"),
            "MATCH_outputEPC", List.of("OUTPUT"),
            "MATCH_anyEPC", List.of("EPC_LIST", "CHILD", "PARENT", "INPUT", "OUTPUT"));
    private static final Map<String, List<String>> CLASS_MATCHES = Map.of(
            "MATCH_epcClass", List.of("QUANTITY", "CHILD"),
            "MATCH_inputEPCClass", List.of("INPUT"),
            "MATCH_outputEPCClass", List.of("OUTPUT"),
            "MATCH_anyEPCClass", List.of("QUANTITY", "CHILD", "INPUT", "OUTPUT"));
    private static final Set<String> OTHERS = Set.of("eventType", "GE_eventTime", "LT_eventTime", "GE_recordTime",
            "LT_recordTime", "EQ_action", "EQ_bizStep", "EQ_disposition", "EQ_readPoint", "EQ_bizLocation", "EQ_eventID",
            "EXISTS_errorDeclaration", "GE_errorDeclarationTime", "LT_errorDeclarationTime", "EQ_errorReason", "orderBy",
            "orderDirection", "eventCountLimit", "maxEventCount");
    /** Names the EPCIS query language defines, some with a field name inside, that this repository does not answer. */
    private static final Pattern STANDARD_UNSUPPORTED = Pattern.compile(
            "(EQ|GT|GE|LT|LE|WD|EXISTS|HASATTR|EQATTR|MATCH)_.+|maxElapsedTime|startTime|endTime");

    /** The parameters as given, in a stable order: what a page token carries. */
    final SortedMap<String, String> parameters;
    final Order order;
    final boolean descending;
    final Integer eventCountLimit;
    final Integer maxEventCount;

    private final StringBuilder where = new StringBuilder();
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final List<Problem.Violation> violations = new ArrayList<>();

    private EventQuery(SortedMap<String, String> parameters) {
        this.parameters = parameters;
        for (String name : parameters.keySet()) {
            if (!OTHERS.contains(name) && !EPC_MATCHES.containsKey(name) && !CLASS_MATCHES.containsKey(name)) {
                violations.add(new Problem.Violation(name, STANDARD_UNSUPPORTED.matcher(name).matches()
                        ? "is an EPCIS query parameter this repository does not support"
                        : "is not a query parameter of GET /epcis/events"));
            }
        }
        list("eventType", "e.event_type", Function.identity());
        time("GE_eventTime", "e.event_time >=");
        time("LT_eventTime", "e.event_time <");
        time("GE_recordTime", "e.record_time >=");
        time("LT_recordTime", "e.record_time <");
        list("EQ_action", "e.action", value -> {
            if (!Set.of("ADD", "OBSERVE", "DELETE").contains(value)) {
                throw new IllegalArgumentException("'" + value + "' is not ADD, OBSERVE or DELETE");
            }
            return value;
        });
        list("EQ_bizStep", "e.biz_step", EpcisFields::cbv);
        list("EQ_disposition", "e.disposition", EpcisFields::cbv);
        list("EQ_readPoint", "e.read_point", value -> EpcIdentifier.parse(value).canonical());
        list("EQ_bizLocation", "e.biz_location", value -> EpcIdentifier.parse(value).canonical());
        list("EQ_eventID", "e.event_id", Function.identity());
        if (parameters.containsKey("EXISTS_errorDeclaration")) {
            where.append(" and e.error_declaration_time is not null");
        }
        time("GE_errorDeclarationTime", "e.error_declaration_time >=");
        time("LT_errorDeclarationTime", "e.error_declaration_time <");
        list("EQ_errorReason", "e.error_reason", EpcisFields::cbv);
        EPC_MATCHES.forEach((name, roles) -> match(name, "event_epc", "epc", roles, false));
        CLASS_MATCHES.forEach((name, roles) -> match(name, "event_quantity", "epc_class", roles, true));

        String orderBy = parameters.get("orderBy");
        if (orderBy == null) {
            order = Order.CAPTURE;
        } else if (orderBy.equals("eventTime")) {
            order = Order.EVENT_TIME;
        } else if (orderBy.equals("recordTime")) {
            order = Order.RECORD_TIME;
        } else {
            order = Order.CAPTURE;
            violations.add(new Problem.Violation("orderBy", "'" + orderBy + "' cannot be ordered by: use eventTime or recordTime"));
        }
        String direction = parameters.getOrDefault("orderDirection", orderBy == null ? "ASC" : "DESC");
        if (!direction.equals("ASC") && !direction.equals("DESC")) {
            violations.add(new Problem.Violation("orderDirection", "'" + direction + "' is not ASC or DESC"));
        }
        descending = direction.equals("DESC");
        eventCountLimit = positive("eventCountLimit");
        maxEventCount = positive("maxEventCount");
        if (eventCountLimit != null && orderBy == null) {
            violations.add(new Problem.Violation("eventCountLimit", "needs orderBy, which says which events come first"));
        }
        if (eventCountLimit != null && maxEventCount != null) {
            violations.add(new Problem.Violation("maxEventCount", "cannot be combined with eventCountLimit"));
        }
    }

    /**
     * Compiles the parameters; a wrong one is answered with a 400 naming every wrong parameter.
     *
     * @param visibility what the caller may read: filtered here, before any count or page is cut
     */
    static EventQuery of(SortedMap<String, String> parameters, Visibility visibility) {
        EventQuery query = new EventQuery(parameters);
        if (!query.violations.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "Query parameters are not valid: "
                    + query.violations.stream().map(v -> v.field() + " " + v.message()).reduce((a, b) -> a + "; " + b).orElse(""),
                    query.violations);
        }
        query.where.append(visibility.where());
        query.values.putAll(visibility.values());
        return query;
    }

    /** The conditions, each starting with " and ". */
    String where() {
        return where.toString();
    }

    Map<String, Object> values() {
        return values;
    }

    private void list(String name, String column, Function<String, String> normalise) {
        List<String> items = items(name, normalise);
        if (!items.isEmpty()) {
            String parameter = parameter(items);
            where.append(" and ").append(column).append(" in (:").append(parameter).append(')');
        }
    }

    private void time(String name, String condition) {
        String value = parameters.get(name);
        if (value == null) {
            return;
        }
        try {
            OffsetDateTime time = OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            where.append(" and ").append(condition).append(" :").append(parameter(time));
        } catch (DateTimeParseException e) {
            violations.add(new Problem.Violation(name, "'" + value
                    + "' is not a date and time with a time-zone offset, such as 2026-11-23T10:15:30.000+01:00"));
        }
    }

    /**
     * Events naming one of the given identifiers in a field of the given roles. A bare GTIN
     * (urn:epc:idpat:sgtin:{prefix}.{item}.* or https://id.gs1.org/01/{GTIN}) stands for all its
     * items, or, among classes, for the GTIN and every lot of it.
     */
    private void match(String name, String table, String column, List<String> roles, boolean classes) {
        List<String> items = items(name, value -> value);
        if (items.isEmpty()) {
            return;
        }
        List<String> exact = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        for (String item : items) {
            try {
                EpcIdentifier id = EpcIdentifier.parse(item);
                boolean bareGtin = id.ai().equals("01") && id.qualifierAi() == null;
                if (bareGtin) {
                    prefixes.add(id.canonical() + (classes ? "/10/" : "/21/"));
                }
                if (!bareGtin || classes) {
                    exact.add(id.canonical());
                }
            } catch (IllegalArgumentException e) {
                violations.add(new Problem.Violation(name, e.getMessage()));
            }
        }
        List<String> alternatives = new ArrayList<>();
        if (!exact.isEmpty()) {
            alternatives.add("x." + column + " in (:" + parameter(exact) + ")");
        }
        for (String prefix : prefixes) {
            // Canonical keys hold digits only before the qualifier, so the prefix has no LIKE wildcards.
            alternatives.add("x." + column + " like :" + parameter(prefix + "%"));
        }
        where.append(" and exists (select 1 from ").append(table).append(" x where x.event_row = e.id and x.role in (:")
                .append(parameter(roles)).append(") and (").append(String.join(" or ", alternatives)).append("))");
    }

    private List<String> items(String name, Function<String, String> normalise) {
        String value = parameters.get(name);
        List<String> items = new ArrayList<>();
        if (value == null) {
            return items;
        }
        for (String item : value.split("\\|")) {
            if (item.isBlank()) {
                violations.add(new Problem.Violation(name, "has an empty value"));
                continue;
            }
            try {
                items.add(normalise.apply(item.strip()));
            } catch (IllegalArgumentException e) {
                violations.add(new Problem.Violation(name, e.getMessage()));
            }
        }
        return items;
    }

    private Integer positive(String name) {
        String value = parameters.get(name);
        if (value == null) {
            return null;
        }
        try {
            int number = Integer.parseInt(value);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        violations.add(new Problem.Violation(name, "'" + value + "' is not a positive whole number"));
        return null;
    }

    private String parameter(Object value) {
        String name = "p" + values.size();
        values.put(name, value);
        return name;
    }

    /** The parameters of a request, each given once. */
    static SortedMap<String, String> single(Map<String, List<String>> query) {
        SortedMap<String, String> single = new TreeMap<>();
        List<Problem.Violation> repeated = new ArrayList<>();
        query.forEach((name, given) -> {
            if (given.size() > 1) {
                repeated.add(new Problem.Violation(name, "is given " + given.size()
                        + " times: give it once, with its values separated by |"));
            }
            single.put(name, given.get(0));
        });
        if (!repeated.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "Query parameters are repeated", repeated);
        }
        return single;
    }
}
