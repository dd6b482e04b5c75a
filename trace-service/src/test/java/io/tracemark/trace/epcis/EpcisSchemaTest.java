package io.tracemark.trace.epcis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;

import io.tracemark.trace.problem.Problem;

/**
 * The schema as the service checks it (anyOf remembering the strings it found valid) says exactly
 * what the standard draft 7 validator says, the first time a document is seen and again once its
 * strings are remembered: over GS1's conformance examples, the fuzz test's seed documents, and
 * both with faults put into every event.
 */
class EpcisSchemaTest {

    private static final EpcisSchema STANDARD = new EpcisSchema(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7));

    @Test
    void remembersValidStringsWithoutChangingAnyAnswer() throws IOException {
        EpcisSchema service = new EpcisSchema();
        List<JsonNode> documents = new ArrayList<>();
        for (Path file : files()) {
            JsonNode document = EpcisCapture.parse(Files.readAllBytes(file));
            documents.add(document);
            documents.addAll(faulty(document));
        }
        int invalid = 0;
        for (JsonNode document : documents) {
            List<Problem.Violation> expected = STANDARD.validate(document);
            assertEquals(expected, service.validate(document), () -> "first time: " + document);
            assertEquals(expected, service.validate(document), () -> "remembered: " + document);
            invalid += expected.isEmpty() ? 0 : 1;
        }
        assertTrue(documents.size() > 60, "the corpus holds " + documents.size() + " documents");
        assertTrue(invalid >= documents.size() / 2, "the faulty documents are refused: " + invalid);
    }

    @Test
    void aStringFoundValidInOnePlaceIsStillRefusedWhereItIsNot() {
        EpcisSchema service = new EpcisSchema();
        ObjectNode event = EpcisJson.MAPPER.createObjectNode();
        event.putArray("@context").add("https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld");
        event.put("type", "ObjectEvent")
                .put("eventTime", "2026-11-23T10:00:00.000+01:00").put("eventTimeZoneOffset", "+01:00")
                .put("action", "OBSERVE").put("bizStep", "shipping");
        event.putArray("epcList").add("https://id.gs1.org/01/09506000134352/21/A1");
        assertEquals(List.of(), service.validate(event));
        // "shipping" is a business step, not a disposition: remembered for one anyOf, not for the other.
        event.put("disposition", "shipping");
        List<Problem.Violation> refused = service.validate(event);
        assertEquals(STANDARD.validate(event), refused);
        assertFalse(refused.isEmpty());
    }

    private static List<Path> files() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> examples = Files.list(EpcisConformanceTest.corpus())) {
            examples.filter(file -> file.getFileName().toString().endsWith(".jsonld")).forEach(files::add);
        }
        Path seeds = Path.of("src/test/resources/io/tracemark/trace/epcis/EpcisCaptureFuzzTestInputs");
        try (Stream<Path> inputs = Files.walk(seeds)) {
            inputs.filter(Files::isRegularFile).forEach(files::add);
        }
        return files;
    }

    /** The document with one kind of fault in every event it carries, one document per kind. */
    private static List<JsonNode> faulty(JsonNode document) {
        List<Consumer<ObjectNode>> faults = List.of(
                event -> event.put("notAField", 1),
                event -> event.put("bizStep", "not a business step"),
                event -> event.put("disposition", 42),
                event -> event.putObject("readPoint").put("id", "no uri"),
                event -> event.put("eventTime", "yesterday"),
                event -> event.put("action", "MOVE"),
                event -> event.putArray("epcList").add("not an identifier").add(7));
        List<JsonNode> documents = new ArrayList<>();
        for (Consumer<ObjectNode> fault : faults) {
            JsonNode copy = document.deepCopy();
            boolean changed = false;
            for (JsonNode event : copy.path("epcisBody").path("eventList")) {
                if (event.isObject()) {
                    fault.accept((ObjectNode) event);
                    changed = true;
                }
            }
            if (changed) {
                documents.add(copy);
            }
        }
        return documents;
    }
}
