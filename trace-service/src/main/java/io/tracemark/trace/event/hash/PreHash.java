package io.tracemark.trace.event.hash;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Builds the pre-hash string of one EPCIS 2.0 event in the CBV 2.0 canonical property order.
 * The layout is: the event type, the standard fields (rules 1-18), then the ILMD, then the user
 * extensions found inside standard fields, each under the path of the field that holds it, then
 * the user extensions at event level (rules 19-21 as CBV 2.0 places them).
 */
final class PreHash {

    private static final String CBV = "https://ref.gs1.org/cbv/";
    private static final String GS1_VOC = "https://ref.gs1.org/voc/";

    /** JSON-LD context and comments annotate data without being part of it, at any depth. */
    private static final Set<String> ANNOTATIONS = Set.of("@context", "comment", "rdfs:comment");

    /**
     * Every event-level key that is not a user extension: the standard fields hashed in their own
     * place, and those no part of the hash (record keeping, identity, error declarations, the
     * certification reference), which the CBV 2.0 canonical property order does not list.
     */
    private static final Set<String> NOT_EXTENSIONS = Set.of(
            "type", "recordTime", "eventID", "errorDeclaration", "certificationInfo",
            "@context", "comment", "rdfs:comment",
            "eventTime", "eventTimeZoneOffset", "epcList", "parentID", "inputEPCList", "childEPCs",
            "quantityList", "childQuantityList", "inputQuantityList", "outputEPCList", "outputQuantityList",
            "action", "transformationID", "bizStep", "disposition", "persistentDisposition", "readPoint",
            "bizLocation", "bizTransactionList", "sourceList", "destinationList", "sensorElementList", "ilmd");

    private static final List<String> QUANTITY_FIELDS = List.of("epcClass", "quantity", "uom");
    private static final List<String> POINT_FIELDS = List.of("id");
    private static final List<String> DISPOSITION_FIELDS = List.of("set", "unset");
    private static final List<String> ELEMENT_FIELDS = List.of("sensorMetadata", "sensorReport");
    private static final List<String> METADATA_FIELDS = List.of(
            "time", "startTime", "endTime", "deviceID", "deviceMetadata", "rawData", "dataProcessingMethod",
            "bizRules");
    private static final List<String> REPORT_FIELDS = List.of(
            "type", "exception", "deviceID", "deviceMetadata", "rawData", "dataProcessingMethod", "time",
            "microorganism", "chemicalSubstance", "value", "component", "stringValue", "booleanValue",
            "hexBinaryValue", "uriValue", "minValue", "maxValue", "meanValue", "sDev", "percRank", "percValue",
            "uom", "coordinateReferenceSystem");
    private static final Set<String> TIMESTAMPS = Set.of("eventTime", "time", "startTime", "endTime");

    /** The standard members of each structure, apart from which its extensions are found. */
    private static final Set<String> QUANTITY_STANDARD = Set.copyOf(QUANTITY_FIELDS);
    private static final Set<String> DISPOSITION_STANDARD = Set.copyOf(DISPOSITION_FIELDS);
    private static final Set<String> POINT_STANDARD = Set.copyOf(POINT_FIELDS);
    private static final Set<String> METADATA_STANDARD = Set.copyOf(METADATA_FIELDS);
    private static final Set<String> REPORT_STANDARD = Set.copyOf(REPORT_FIELDS);
    private static final Set<String> ELEMENT_STANDARD = Set.copyOf(ELEMENT_FIELDS);
    private static final Set<String> BIZ_TRANSACTION_STANDARD = Set.of("type", "bizTransaction");
    private static final Set<String> SOURCE_STANDARD = Set.of("type", "source");
    private static final Set<String> DESTINATION_STANDARD = Set.of("type", "destination");

    /** Where a bare standard term of a field lives in the CBV or the GS1 Web Vocabulary. */
    private static final Map<String, String> TERM_BASES = Map.of(
            "bizStep", CBV + "BizStep-",
            "disposition", CBV + "Disp-",
            "set", CBV + "Disp-",
            "unset", CBV + "Disp-",
            "component", CBV + "Comp-",
            "exception", GS1_VOC,
            // the sensor report's measurement type; the other "type"s are resolved by their list
            "type", GS1_VOC);

    private final Namespaces namespaces;

    PreHash(Namespaces namespaces) {
        this.namespaces = namespaces;
    }

    String of(JsonNode event) {
        if (event == null || !event.isObject()) {
            throw new IllegalArgumentException("an EPCIS event is a JSON object");
        }
        String type = Values.text(event.get("type"));
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("the event has no type");
        }
        StringBuilder out = new StringBuilder("eventType=").append(type.strip());
        scalar(out, event, "eventTime");
        scalar(out, event, "eventTimeZoneOffset");
        identifiers(out, event, "epcList");
        scalar(out, event, "parentID");
        identifiers(out, event, "inputEPCList");
        identifiers(out, event, "childEPCs");
        quantities(out, event, "quantityList");
        quantities(out, event, "childQuantityList");
        quantities(out, event, "inputQuantityList");
        identifiers(out, event, "outputEPCList");
        quantities(out, event, "outputQuantityList");
        scalar(out, event, "action");
        scalar(out, event, "transformationID");
        scalar(out, event, "bizStep");
        scalar(out, event, "disposition");
        persistentDisposition(out, event);
        out.append(structure("readPoint", object(event, "readPoint"), POINT_FIELDS));
        out.append(structure("bizLocation", object(event, "bizLocation"), POINT_FIELDS));
        typedList(out, event, "bizTransactionList", "bizTransaction", CBV + "BTT-");
        typedList(out, event, "sourceList", "source", CBV + "SDT-");
        typedList(out, event, "destinationList", "destination", CBV + "SDT-");
        sensorElements(out, event);

        JsonNode ilmd = event.get("ilmd");
        if (ilmd != null && !ilmd.isNull()) {
            if (!ilmd.isObject()) {
                throw new IllegalArgumentException("ilmd is a JSON object");
            }
            out.append("ilmd").append(sortedJoin(extensionEntries(ilmd, Set.of())));
        }
        fieldExtensions(out, event);
        out.append(sortedJoin(extensionEntries(event, NOT_EXTENSIONS)));
        return out.toString();
    }

    // ---- standard fields ----

    private void scalar(StringBuilder out, JsonNode holder, String field) {
        String value = value(holder, field);
        if (!value.isEmpty()) {
            out.append(field).append('=').append(value);
        }
    }

    /** The canonical text of a scalar standard field, or "" when it is absent or empty. */
    private String value(JsonNode holder, String field) {
        JsonNode node = holder.get(field);
        if (node == null || node.isNull()) {
            return "";
        }
        if (node.isContainerNode()) {
            throw new IllegalArgumentException(field + " is a single value, not " + node.getNodeType());
        }
        String raw = Values.text(node);
        if (TIMESTAMPS.contains(field)) {
            return Values.timestamp(raw);
        }
        String termBase = TERM_BASES.get(field);
        return termBase != null ? Values.vocabulary(raw, termBase) : Values.canonical(raw);
    }

    private void identifiers(StringBuilder out, JsonNode event, String list) {
        List<String> entries = new ArrayList<>();
        for (JsonNode epc : elements(event, list)) {
            if (epc.isContainerNode()) {
                throw new IllegalArgumentException(list + " holds identifiers, not " + epc.getNodeType());
            }
            String value = Values.canonical(Values.text(epc));
            if (!value.isEmpty()) {
                entries.add("epc=" + value);
            }
        }
        if (!entries.isEmpty()) {
            out.append(list).append(sortedJoin(entries));
        }
    }

    private void quantities(StringBuilder out, JsonNode event, String list) {
        List<String> entries = new ArrayList<>();
        for (JsonNode element : elements(event, list)) {
            String entry = structure("quantityElement", requireObject(element, list), QUANTITY_FIELDS);
            if (!entry.isEmpty()) {
                entries.add(entry);
            }
        }
        if (!entries.isEmpty()) {
            out.append(list).append(sortedJoin(entries));
        }
    }

    private void persistentDisposition(StringBuilder out, JsonNode event) {
        JsonNode disposition = object(event, "persistentDisposition");
        if (disposition == null) {
            return;
        }
        StringBuilder fields = new StringBuilder();
        for (String field : DISPOSITION_FIELDS) {
            List<String> entries = new ArrayList<>();
            for (JsonNode term : elements(disposition, field)) {
                String value = Values.vocabulary(scalarText(term, "persistentDisposition"), CBV + "Disp-");
                if (!value.isEmpty()) {
                    entries.add(field + "=" + value);
                }
            }
            fields.append(sortedJoin(entries));
        }
        if (fields.length() > 0) {
            out.append("persistentDisposition").append(fields);
        }
    }

    /** {@code name} followed by the given fields in their order, or "" when none has a value. */
    private String structure(String name, JsonNode holder, List<String> fields) {
        if (holder == null) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (String field : fields) {
            String value = value(holder, field);
            if (!value.isEmpty()) {
                text.append(field).append('=').append(value);
            }
        }
        return text.length() == 0 ? "" : name + text;
    }

    /**
     * Rule 13: each element is its type followed by its identifier, and the elements are then
     * sorted as whole strings.
     */
    private void typedList(StringBuilder out, JsonNode event, String list, String idField, String typeBase) {
        List<String> entries = new ArrayList<>();
        for (JsonNode element : elements(event, list)) {
            requireObject(element, list);
            StringBuilder entry = new StringBuilder();
            JsonNode typeNode = element.get("type");
            if (typeNode != null && !typeNode.isNull()) {
                String type = Values.vocabulary(scalarText(typeNode, list), typeBase);
                if (!type.isEmpty()) {
                    entry.append("type=").append(type);
                }
            }
            String id = value(element, idField);
            if (!id.isEmpty()) {
                entry.append(idField).append('=').append(id);
            }
            if (entry.length() > 0) {
                entries.add(entry.toString());
            }
        }
        if (!entries.isEmpty()) {
            out.append(list).append(sortedJoin(entries));
        }
    }

    /** CBV 2.0 writes no "sensorElementList" name, only each "sensorElement". */
    private void sensorElements(StringBuilder out, JsonNode event) {
        List<String> entries = new ArrayList<>();
        for (JsonNode element : elements(event, "sensorElementList")) {
            requireObject(element, "sensorElementList");
            StringBuilder text = new StringBuilder(
                    structure("sensorMetadata", object(element, "sensorMetadata"), METADATA_FIELDS));
            List<String> reports = new ArrayList<>();
            for (JsonNode report : elements(element, "sensorReport")) {
                String entry = structure("sensorReport", requireObject(report, "sensorReport"), REPORT_FIELDS);
                if (!entry.isEmpty()) {
                    reports.add(entry);
                }
            }
            text.append(sortedJoin(reports));
            if (text.length() > 0) {
                entries.add("sensorElement" + text);
            }
        }
        out.append(sortedJoin(entries));
    }

    // ---- user extensions ----

    /**
     * CBV 2.0 does not write an extension inside a standard field next to that field's values:
     * it writes it after the ILMD, under the names of the standard fields that lead to it, in the
     * canonical property order.
     */
    private void fieldExtensions(StringBuilder out, JsonNode event) {
        for (String list : List.of("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList")) {
            out.append(listExtensions(event, list, "quantityElement", QUANTITY_STANDARD));
        }
        out.append(extensionsOf("persistentDisposition", object(event, "persistentDisposition"),
                DISPOSITION_STANDARD));
        out.append(extensionsOf("readPoint", object(event, "readPoint"), POINT_STANDARD));
        out.append(extensionsOf("bizLocation", object(event, "bizLocation"), POINT_STANDARD));
        out.append(listExtensions(event, "bizTransactionList", "bizTransaction", BIZ_TRANSACTION_STANDARD));
        out.append(listExtensions(event, "sourceList", "source", SOURCE_STANDARD));
        out.append(listExtensions(event, "destinationList", "destination", DESTINATION_STANDARD));

        List<String> elements = new ArrayList<>();
        for (JsonNode element : elements(event, "sensorElementList")) {
            StringBuilder text = new StringBuilder(extensionsOf("sensorMetadata", object(element, "sensorMetadata"),
                    METADATA_STANDARD));
            List<String> reports = new ArrayList<>();
            for (JsonNode report : elements(element, "sensorReport")) {
                String entry = extensionsOf("sensorReport", report, REPORT_STANDARD);
                if (!entry.isEmpty()) {
                    reports.add(entry);
                }
            }
            text.append(sortedJoin(reports));
            text.append(sortedJoin(extensionEntries(element, ELEMENT_STANDARD)));
            if (text.length() > 0) {
                elements.add("sensorElement" + text);
            }
        }
        out.append(sortedJoin(elements));
    }

    private String listExtensions(JsonNode event, String list, String elementName, Set<String> standard) {
        List<String> entries = new ArrayList<>();
        for (JsonNode element : elements(event, list)) {
            String entry = extensionsOf(elementName, element, standard);
            if (!entry.isEmpty()) {
                entries.add(entry);
            }
        }
        return entries.isEmpty() ? "" : list + sortedJoin(entries);
    }

    private String extensionsOf(String name, JsonNode holder, Set<String> standard) {
        if (holder == null) {
            return "";
        }
        List<String> entries = extensionEntries(holder, standard);
        return entries.isEmpty() ? "" : name + sortedJoin(entries);
    }

    /**
     * Rules 19 and 20: each extension as {namespace}localName=value, a nested object as its name
     * followed by its own sorted entries, and each array element as its own entry under the
     * array's name; entries of one level sorted.
     */
    private List<String> extensionEntries(JsonNode holder, Set<String> standard) {
        List<String> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = holder.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            if (standard.contains(key) || ANNOTATIONS.contains(key)) {
                continue;
            }
            entries.addAll(entries(namespaces.keyName(key), field.getValue()));
        }
        return entries;
    }

    private List<String> entries(String name, JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (node.isObject() && node.has("@value")) {
            // A JSON-LD value object carries its value in "@value".
            return entries(name, node.get("@value"));
        }
        if (node.isObject()) {
            return List.of(name + sortedJoin(extensionEntries(node, Set.of())));
        }
        if (node.isArray()) {
            List<String> entries = new ArrayList<>();
            for (JsonNode element : node) {
                if (element.isArray()) {
                    entries.add(name + sortedJoin(entries("", element)));
                } else {
                    entries.addAll(entries(name, element));
                }
            }
            return entries;
        }
        String value = Values.canonical(Values.text(node));
        return List.of(value.isEmpty() ? name : name + "=" + value);
    }

    // ---- helpers ----

    private static String sortedJoin(List<String> entries) {
        List<String> sorted = new ArrayList<>(entries);
        sorted.sort(Values.CODE_POINT_ORDER);
        return String.join("", sorted);
    }

    /** The elements of a list field; a single value stands for a list of one. */
    private static List<JsonNode> elements(JsonNode holder, String field) {
        JsonNode node = holder.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            return List.of(node);
        }
        List<JsonNode> elements = new ArrayList<>(node.size());
        node.forEach(element -> {
            if (!element.isNull()) {
                elements.add(element);
            }
        });
        return elements;
    }

    private static JsonNode object(JsonNode holder, String field) {
        JsonNode node = holder.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        return requireObject(node, field);
    }

    private static JsonNode requireObject(JsonNode node, String field) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(field + " holds JSON objects, not " + node.getNodeType());
        }
        return node;
    }

    private static String scalarText(JsonNode node, String field) {
        if (node.isContainerNode()) {
            throw new IllegalArgumentException(field + " holds single values here, not " + node.getNodeType());
        }
        return Values.text(node);
    }
}
