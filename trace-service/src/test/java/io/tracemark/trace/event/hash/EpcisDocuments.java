package io.tracemark.trace.event.hash;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reading EPCIS documents and their events for the event hash tests. */
final class EpcisDocuments {

    static final ObjectMapper JSON = new ObjectMapper();

    private EpcisDocuments() {
    }

    static JsonNode resource(String path) {
        try (InputStream in = EpcisDocuments.class.getResourceAsStream("/event-hash/" + path)) {
            if (in == null) {
                throw new IllegalStateException("no test resource event-hash/" + path);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> lines(String path) {
        try (InputStream in = EpcisDocuments.class.getResourceAsStream("/event-hash/" + path)) {
            if (in == null) {
                return List.of();
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode file(Path path) {
        try {
            return JSON.readTree(Files.readString(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The events of a capture document, a query document, or a single-event capture. */
    static List<ObjectNode> events(JsonNode document) {
        JsonNode body = document.path("epcisBody");
        JsonNode list = body.has("eventList") ? body.get("eventList")
                : body.path("queryResults").path("resultsBody").path("eventList");
        if (body.has("event")) {
            list = JSON.createArrayNode().add(body.get("event"));
        }
        List<ObjectNode> events = new ArrayList<>();
        list.forEach(e -> events.add((ObjectNode) e));
        if (events.isEmpty()) {
            throw new IllegalStateException("a document without events: " + document.path("type"));
        }
        return events;
    }

    static JsonNode context(JsonNode document) {
        return document.get("@context");
    }
}
