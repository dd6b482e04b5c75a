package io.tracemark.trace.epcis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tracemark.trace.gs1.CompanyPrefixes;

/** The JSON-LD documents the query interface answers with. */
final class QueryDocuments {

    static final String STANDARD_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

    private QueryDocuments() {
    }

    /**
     * An EPCISQueryDocument holding the events. Each event was captured under a JSON-LD context
     * that gives its extension prefixes (example:, rail:, ...) their meaning; the answer's context
     * gathers them. An event whose prefix means something else than in an event before it keeps
     * its own context, so that no extension changes meaning on the way out.
     */
    static ObjectNode queryDocument(List<LedgerEvent> events, EpcFormat format, CompanyPrefixes prefixes) {
        Set<String> urls = new LinkedHashSet<>(List.of(STANDARD_CONTEXT));
        Map<String, JsonNode> terms = new LinkedHashMap<>();
        ArrayNode eventList = EpcisJson.MAPPER.createArrayNode();
        for (LedgerEvent event : events) {
            ObjectNode document = format.apply((ObjectNode) read(event.document), prefixes);
            if (event.context != null) {
                JsonNode context = read(event.context);
                List<String> ownUrls = new ArrayList<>();
                Map<String, JsonNode> ownTerms = new LinkedHashMap<>();
                collect(context, ownUrls, ownTerms);
                boolean clash = ownTerms.entrySet().stream()
                        .anyMatch(term -> terms.containsKey(term.getKey()) && !terms.get(term.getKey()).equals(term.getValue()));
                if (clash) {
                    ObjectNode withContext = EpcisJson.MAPPER.createObjectNode();
                    withContext.set("@context", context);
                    withContext.setAll(document);
                    document = withContext;
                } else {
                    urls.addAll(ownUrls);
                    terms.putAll(ownTerms);
                }
            }
            eventList.add(document);
        }
        ObjectNode answer = EpcisJson.MAPPER.createObjectNode();
        answer.set("@context", context(urls, terms));
        answer.put("type", "EPCISQueryDocument");
        answer.put("schemaVersion", "2.0");
        answer.put("creationDate", now());
        ObjectNode results = answer.putObject("epcisBody").putObject("queryResults");
        results.put("queryName", "SimpleEventQuery");
        results.putObject("resultsBody").set("eventList", eventList);
        return answer;
    }

    /** A JSON-LD Collection, as the binding answers /eventTypes and /bizSteps. */
    static ObjectNode collection(List<String> members) {
        ObjectNode collection = EpcisJson.MAPPER.createObjectNode();
        collection.putArray("@context").add(STANDARD_CONTEXT);
        collection.put("type", "Collection");
        ArrayNode list = collection.putArray("member");
        members.forEach(list::add);
        return collection;
    }

    private static void collect(JsonNode context, List<String> urls, Map<String, JsonNode> terms) {
        if (context.isTextual()) {
            urls.add(context.asText());
        } else if (context.isObject()) {
            context.fields().forEachRemaining(term -> terms.put(term.getKey(), term.getValue()));
        } else if (context.isArray()) {
            context.forEach(part -> collect(part, urls, terms));
        }
    }

    private static ArrayNode context(Set<String> urls, Map<String, JsonNode> terms) {
        ArrayNode context = EpcisJson.MAPPER.createArrayNode();
        urls.forEach(context::add);
        if (!terms.isEmpty()) {
            ObjectNode object = context.addObject();
            terms.forEach(object::set);
        }
        return context;
    }

    static JsonNode read(String json) {
        try {
            return EpcisJson.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored EPCIS event is not JSON", e);
        }
    }

    static String now() {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS));
    }
}
