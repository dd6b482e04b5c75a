package io.tracemark.trace.event.hash;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The JSON-LD prefixes an event's keys and values are written with, so that an extension is
 * hashed under its namespace and never under the prefix a sender happened to choose.
 */
final class Namespaces {

    /**
     * Prefixes of the standard EPCIS 2.0 context that need no declaration in the document. The
     * master data namespace is the one the XML binding uses, without the JSON-LD context's
     * trailing '#', so that both syntaxes of an event hash alike. The GS1 Web Vocabulary is
     * written at its current home, ref.gs1.org, as the reference implementation does.
     */
    private static final Map<String, String> STANDARD_KEY_PREFIXES = Map.of(
            "cbvmda", "urn:epcglobal:cbv:mda",
            "gs1", "https://ref.gs1.org/voc/",
            "cbv", "https://ref.gs1.org/cbv/",
            "epcis", "https://ref.gs1.org/epcis/");

    /** CBV 2.0 rule 15: the compact IRIs a value may use without declaring them. */
    private static final Map<String, String> STANDARD_VALUE_PREFIXES = Map.of(
            "gs1", "https://ref.gs1.org/voc/",
            "cbv", "https://ref.gs1.org/cbv/",
            "epcis", "https://ref.gs1.org/epcis/");

    private final Map<String, String> declared;

    private Namespaces(Map<String, String> declared) {
        this.declared = declared;
    }

    /** Later contexts win, as they do in JSON-LD: the event's own context over its document's. */
    static Namespaces of(JsonNode... contexts) {
        Map<String, String> declared = new HashMap<>();
        for (JsonNode context : contexts) {
            collect(context, declared);
        }
        return new Namespaces(declared);
    }

    private static void collect(JsonNode context, Map<String, String> into) {
        if (context == null || context.isNull()) {
            return;
        }
        if (context.isArray()) {
            for (JsonNode entry : context) {
                collect(entry, into);
            }
            return;
        }
        if (!context.isObject()) {
            // A context URL: its prefixes are the standard ones, known without fetching it.
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = context.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> term = it.next();
            if (term.getKey().startsWith("@")) {
                continue;
            }
            JsonNode definition = term.getValue();
            if (definition.isTextual()) {
                into.put(term.getKey(), definition.asText());
            } else if (definition.isObject() && definition.path("@id").isTextual()) {
                into.put(term.getKey(), definition.path("@id").asText());
            }
        }
    }

    /**
     * The name an extension key is hashed under: {@code {namespace}localName} when the key is a
     * compact IRI with a known prefix, otherwise the key as written.
     */
    String keyName(String key) {
        int colon = key.indexOf(':');
        if (colon <= 0) {
            return key;
        }
        String prefix = key.substring(0, colon);
        String namespace = declared.get(prefix);
        if (namespace == null) {
            namespace = STANDARD_KEY_PREFIXES.get(prefix);
        }
        return namespace == null ? key : "{" + namespace + "}" + key.substring(colon + 1);
    }

    /**
     * A compact IRI value written with a standard prefix, expanded (rule 15). Values written with
     * a prefix the document declares itself stay as written: the reference implementation hashes
     * them so, and a hash that disagrees with it would identify nothing outside Tracemark.
     */
    static String expandValue(String value) {
        int colon = value.indexOf(':');
        if (colon <= 0) {
            return value;
        }
        String namespace = STANDARD_VALUE_PREFIXES.get(value.substring(0, colon));
        return namespace == null ? value : namespace + value.substring(colon + 1);
    }
}
