package io.tracemark.trace.epcis;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tracemark.trace.access.CapturedEvent;
import io.tracemark.trace.gs1.EpcIdentifier;
import io.tracemark.trace.problem.Problem;

/**
 * Checks what the JSON Schema cannot (identifier syntax and check digits, that timestamps are
 * real instants) and turns one schema-valid event into its ledger row.
 */
final class EventIntake {

    static final int MAX_LENGTH = 500;
    private static final Pattern OFFSET = Pattern.compile("^[+-]((0\\d|1[0-3]):[0-5]\\d|14:00)$");

    private EventIntake() {
    }

    /**
     * The ledger row of an event, or null when the event is wrong, in which case every reason was
     * added to {@code violations}, each named by its field under {@code path}.
     */
    static LedgerEvent prepare(ObjectNode event, String path, List<Problem.Violation> violations) {
        int before = violations.size();
        refuseNul(event, path, violations);
        LedgerEvent row = new LedgerEvent();
        row.eventType = event.path("type").asText();
        row.eventTime = instant(event, "eventTime", path, violations);
        String offset = event.path("eventTimeZoneOffset").asText();
        if (!OFFSET.matcher(offset).matches()) {
            violations.add(new Problem.Violation(path + ".eventTimeZoneOffset",
                    "'" + offset + "' is not a time-zone offset between -14:00 and +14:00 such as +01:00"));
        }
        row.eventTimeZoneOffset = offset;
        row.eventId = event.hasNonNull("eventID") ? event.get("eventID").asText() : null;
        row.action = text(event, "action");
        row.bizStep = EpcisFields.cbv(text(event, "bizStep"));
        row.disposition = EpcisFields.cbv(text(event, "disposition"));
        row.parties = event.has("sourceList") || event.has("destinationList") || event.has("bizTransactionList");

        JsonNode declaration = event.get("errorDeclaration");
        if (declaration != null && declaration.isObject()) {
            row.errorDeclarationTime = instant(declaration, "declarationTime", path + ".errorDeclaration", violations);
            row.errorReason = EpcisFields.cbv(text(declaration, "reason"));
        }

        for (Map.Entry<String, String> list : EpcisFields.EPC_LISTS.entrySet()) {
            JsonNode epcs = event.get(list.getKey());
            if (epcs != null && epcs.isArray()) {
                for (int i = 0; i < epcs.size(); i++) {
                    String canonical = identifier(epcs.get(i).asText(), path + "." + list.getKey() + "[" + i + "]",
                            EpcIdentifier.Kind.INSTANCE, violations);
                    if (canonical != null) {
                        row.epcs.add(new LedgerEvent.Epc(list.getValue(), canonical));
                    }
                }
            }
        }
        if (event.hasNonNull(EpcisFields.PARENT_ID)) {
            String canonical = identifier(event.get(EpcisFields.PARENT_ID).asText(), path + "." + EpcisFields.PARENT_ID,
                    EpcIdentifier.Kind.INSTANCE, violations);
            if (canonical != null) {
                row.epcs.add(new LedgerEvent.Epc(EpcisFields.PARENT_ROLE, canonical));
            }
        }
        for (Map.Entry<String, String> list : EpcisFields.QUANTITY_LISTS.entrySet()) {
            JsonNode elements = event.get(list.getKey());
            if (elements != null && elements.isArray()) {
                for (int i = 0; i < elements.size(); i++) {
                    JsonNode element = elements.get(i);
                    String field = path + "." + list.getKey() + "[" + i + "].epcClass";
                    String canonical = identifier(element.path("epcClass").asText(), field, EpcIdentifier.Kind.CLASS,
                            violations);
                    if (canonical != null) {
                        BigDecimal quantity = element.hasNonNull("quantity") ? element.get("quantity").decimalValue() : null;
                        row.quantities.add(new LedgerEvent.Quantity(list.getValue(), canonical, quantity,
                                text(element, "uom")));
                    }
                }
            }
        }
        row.readPoint = location(event, "readPoint", path, violations);
        // Most events are read and located at one place: the same text is the same location.
        row.bizLocation = row.readPoint != null && locationText(event, "bizLocation") != null
                && locationText(event, "bizLocation").equals(locationText(event, "readPoint")) ? row.readPoint
                        : location(event, "bizLocation", path, violations);
        for (Map.Entry<String, String> list : EpcisFields.PARTIES.entrySet()) {
            JsonNode parties = event.get(list.getKey());
            if (parties != null && parties.isArray()) {
                for (int i = 0; i < parties.size(); i++) {
                    String value = parties.get(i).path(list.getValue()).asText();
                    // Sources and destinations may be any URI; one that claims to be an EPC must be one.
                    if (EpcIdentifier.isUrn(value)) {
                        identifier(value, path + "." + list.getKey() + "[" + i + "]." + list.getValue(), null, violations);
                    }
                }
            }
        }
        bounded(row.eventId, path + ".eventID", violations);
        bounded(row.eventType, path + ".type", violations);
        bounded(row.bizStep, path + ".bizStep", violations);
        bounded(row.disposition, path + ".disposition", violations);
        bounded(row.errorReason, path + ".errorDeclaration.reason", violations);
        return violations.size() == before ? row : null;
    }

    /**
     * What the write rules look at in an event that {@link #prepare} accepted as {@code row}: its
     * places, parties and identifiers in canonical form, each with the field that named it.
     */
    static CapturedEvent scoped(ObjectNode event, LedgerEvent row, String path) {
        // The identifiers were made canonical by prepare, list by list in this order: named from there.
        List<String> fields = new ArrayList<>();
        for (String list : EpcisFields.EPC_LISTS.keySet()) {
            JsonNode values = event.path(list);
            for (int i = 0; values.isArray() && i < values.size(); i++) {
                fields.add(path + "." + list + "[" + i + "]");
            }
        }
        if (event.hasNonNull(EpcisFields.PARENT_ID)) {
            fields.add(path + "." + EpcisFields.PARENT_ID);
        }
        List<CapturedEvent.Named> epcs = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            epcs.add(new CapturedEvent.Named(fields.get(i), row.epcs.get(i).epc));
        }
        List<CapturedEvent.Named> classes = new ArrayList<>();
        int quantity = 0;
        for (String list : EpcisFields.QUANTITY_LISTS.keySet()) {
            JsonNode elements = event.path(list);
            for (int i = 0; elements.isArray() && i < elements.size(); i++) {
                classes.add(new CapturedEvent.Named(path + "." + list + "[" + i + "].epcClass",
                        row.quantities.get(quantity++).epcClass));
            }
        }
        List<CapturedEvent.Named> parties = new ArrayList<>();
        for (Map.Entry<String, String> list : EpcisFields.PARTIES.entrySet()) {
            JsonNode values = event.path(list.getKey());
            for (int i = 0; i < values.size(); i++) {
                parties.add(named(path + "." + list.getKey() + "[" + i + "]." + list.getValue(),
                        values.get(i).path(list.getValue()).asText()));
            }
        }
        return new CapturedEvent(path, row.bizStep, row.disposition,
                row.readPoint == null ? null : new CapturedEvent.Named(path + ".readPoint.id", row.readPoint),
                row.bizLocation == null ? null : new CapturedEvent.Named(path + ".bizLocation.id", row.bizLocation),
                parties, epcs, classes);
    }

    /** An identifier in canonical form where it is one (sources and destinations may be any URI). */
    private static CapturedEvent.Named named(String field, String text) {
        try {
            return new CapturedEvent.Named(field, EpcIdentifier.parse(text).canonical());
        } catch (IllegalArgumentException e) {
            return new CapturedEvent.Named(field, text);
        }
    }

    /**
     * A NUL character is no text's content, and PostgreSQL's text columns cannot hold one: refused
     * wherever it stands in the event, in a value or a member name, with its place named.
     */
    private static void refuseNul(JsonNode node, String path, List<Problem.Violation> violations) {
        // Named only where there is one: building every member's path for nothing cost more than the rest.
        if (hasNul(node)) {
            nameNuls(node, path, violations);
        }
    }

    private static boolean hasNul(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue().indexOf('\u0000') >= 0;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> members = node.fields(); members.hasNext();) {
                Map.Entry<String, JsonNode> member = members.next();
                if (member.getKey().indexOf('\u0000') >= 0 || hasNul(member.getValue())) {
                    return true;
                }
            }
            return false;
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (hasNul(element)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void nameNuls(JsonNode node, String path, List<Problem.Violation> violations) {
        if (node.isTextual()) {
            if (node.textValue().indexOf('\u0000') >= 0) {
                violations.add(new Problem.Violation(path, "contains a NUL character (\\u0000), which no field accepts"));
            }
        } else if (node.isObject()) {
            node.fields().forEachRemaining(member -> {
                String field = path + "." + member.getKey();
                if (member.getKey().indexOf('\u0000') >= 0) {
                    violations.add(new Problem.Violation(field, "names a member with a NUL character (\\u0000)"));
                }
                nameNuls(member.getValue(), field, violations);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                nameNuls(node.get(i), path + "[" + i + "]", violations);
            }
        }
    }

    /** The ledger's columns hold 500 characters; a longer value is the client's mistake, not a failure. */
    private static void bounded(String value, String field, List<Problem.Violation> violations) {
        if (value != null && value.length() > MAX_LENGTH) {
            violations.add(new Problem.Violation(field, "is longer than " + MAX_LENGTH + " characters"));
        }
    }

    private static String location(JsonNode event, String field, String path, List<Problem.Violation> violations) {
        String text = locationText(event, field);
        return text == null ? null : identifier(text, path + "." + field + ".id", EpcIdentifier.Kind.LOCATION, violations);
    }

    /** The id of a readPoint or bizLocation as written, or null when it has none. */
    private static String locationText(JsonNode event, String field) {
        JsonNode location = event.get(field);
        return location == null || !location.hasNonNull("id") ? null : location.get("id").asText();
    }

    /** The canonical form of an identifier of the expected kind (instance also admits locations, as parents). */
    private static String identifier(String text, String field, EpcIdentifier.Kind expected,
            List<Problem.Violation> violations) {
        EpcIdentifier id;
        try {
            id = EpcIdentifier.parse(text);
        } catch (IllegalArgumentException e) {
            violations.add(new Problem.Violation(field, e.getMessage()));
            return null;
        }
        EpcIdentifier.Kind kind = id.kind();
        if (expected == EpcIdentifier.Kind.INSTANCE && kind == EpcIdentifier.Kind.CLASS) {
            violations.add(new Problem.Violation(field, "'" + text
                    + "' names a class of items, not one item: count classes in a quantity list"));
            return null;
        }
        if (expected == EpcIdentifier.Kind.CLASS && kind != EpcIdentifier.Kind.CLASS) {
            violations.add(new Problem.Violation(field, "'" + text
                    + "' is not an EPC class (a GTIN, a GTIN with a lot, or an sgtin pattern)"));
            return null;
        }
        if (expected == EpcIdentifier.Kind.LOCATION && kind != EpcIdentifier.Kind.LOCATION) {
            violations.add(new Problem.Violation(field, "'" + text + "' is not a location (an SGLN or a GLN Digital Link)"));
            return null;
        }
        return id.canonical();
    }

    private static OffsetDateTime instant(JsonNode node, String field, String path, List<Problem.Violation> violations) {
        String text = node.path(field).asText();
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            violations.add(new Problem.Violation(path + "." + field, "'" + text
                    + "' is not a date and time with a time-zone offset, such as 2026-11-23T10:15:30.000+01:00"));
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
