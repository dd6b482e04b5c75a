package io.tracemark.trace.epcis;

import java.util.Map;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.tracemark.trace.gs1.CompanyPrefixes;
import io.tracemark.trace.gs1.EpcIdentifier;
import io.tracemark.trace.problem.ProblemException;

/**
 * The GS1-EPC-Format request header: how the identifiers in returned events are written. Events
 * are kept as captured; a client that asks for one form gets every EPC, EPC class and location
 * in it, and the ones already in that form exactly as they were sent.
 */
public enum EpcFormat {
    NO_PREFERENCE("No_Preference"),
    ALWAYS_GS1_DIGITAL_LINK("Always_GS1_Digital_Link"),
    ALWAYS_EPC_URN("Always_EPC_URN"),
    NEVER_TRANSLATES("Never_Translates");

    public static final String HEADER = "GS1-EPC-Format";

    private final String header;

    EpcFormat(String header) {
        this.header = header;
    }

    public String header() {
        return header;
    }

    /** The format a request asks for; the binding makes Digital Link the default. */
    public static EpcFormat of(String header) {
        if (header == null || header.isBlank()) {
            return ALWAYS_GS1_DIGITAL_LINK;
        }
        for (EpcFormat format : values()) {
            if (format.header.equalsIgnoreCase(header.strip())) {
                return format;
            }
        }
        throw ProblemException.invalid(HEADER, "'" + header
                + "' is not No_Preference, Always_GS1_Digital_Link, Always_EPC_URN or Never_Translates");
    }

    /** The event with its identifiers in this format (the event itself when nothing is to change). */
    public ObjectNode apply(ObjectNode event, CompanyPrefixes prefixes) {
        UnaryOperator<String> translate = switch (this) {
            case NO_PREFERENCE, NEVER_TRANSLATES -> null;
            case ALWAYS_GS1_DIGITAL_LINK -> value -> EpcIdentifier.isUrn(value) ? canonical(value) : value;
            case ALWAYS_EPC_URN -> value -> EpcIdentifier.isUrn(value) ? value : urn(value, prefixes);
        };
        if (translate == null) {
            return event;
        }
        ObjectNode copy = event.deepCopy();
        for (String list : EpcisFields.EPC_LISTS.keySet()) {
            eachText(copy.get(list), translate);
        }
        if (copy.get(EpcisFields.PARENT_ID) instanceof TextNode parent) {
            copy.put(EpcisFields.PARENT_ID, translate.apply(parent.asText()));
        }
        for (String list : EpcisFields.QUANTITY_LISTS.keySet()) {
            eachObject(copy.get(list), "epcClass", translate);
        }
        for (String location : EpcisFields.LOCATIONS) {
            if (copy.get(location) instanceof ObjectNode place && place.get("id") instanceof TextNode id) {
                place.put("id", translate.apply(id.asText()));
            }
        }
        for (Map.Entry<String, String> parties : EpcisFields.PARTIES.entrySet()) {
            eachObject(copy.get(parties.getKey()), parties.getValue(), translate);
        }
        return copy;
    }

    private static void eachText(JsonNode list, UnaryOperator<String> translate) {
        if (list instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual()) {
                    array.set(i, TextNode.valueOf(translate.apply(array.get(i).asText())));
                }
            }
        }
    }

    private static void eachObject(JsonNode list, String field, UnaryOperator<String> translate) {
        if (list instanceof ArrayNode array) {
            for (JsonNode element : array) {
                if (element instanceof ObjectNode object && object.get(field) instanceof TextNode value) {
                    object.put(field, translate.apply(value.asText()));
                }
            }
        }
    }

    /** Identifiers that are not GS1 keys (a source may be any URI) are left as they are. */
    private static String canonical(String value) {
        try {
            return EpcIdentifier.parse(value).canonical();
        } catch (IllegalArgumentException e) {
            return value;
        }
    }

    private static String urn(String value, CompanyPrefixes prefixes) {
        try {
            return EpcIdentifier.parse(value).urn(prefixes);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }
}
