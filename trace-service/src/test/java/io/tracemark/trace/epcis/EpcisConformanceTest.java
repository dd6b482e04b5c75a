package io.tracemark.trace.epcis;

import static io.tracemark.trace.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tracemark.trace.event.hash.EventHash;
import io.tracemark.trace.gs1.EpcIdentifier;

/**
 * The GS1 conformance examples (shared/conformance/epcis, beside the repository): every one is
 * captured as published and every event comes back from the query interface with no field lost.
 */
@QuarkusTest
class EpcisConformanceTest {

    /** Not capture examples: the schema, the JSON-LD context and the sample query answer. */
    private static final Set<String> NOT_EXAMPLES = Set.of("epcis-context.jsonld", "EPCISQueryDocument.jsonld");

    static Path corpus() {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !(Files.isDirectory(root.resolve("trace-service")) && Files.exists(root.resolve("pom.xml")))) {
            root = root.getParent();
        }
        assertTrue(root != null, "The repository root (with trace-service/ and pom.xml) was not found above "
                + Path.of("").toAbsolutePath());
        Path corpus = root.resolve("../shared/conformance/epcis").normalize();
        assertTrue(Files.isDirectory(corpus), "The EPCIS conformance corpus is missing: expected at " + corpus
                + " (../shared/conformance/epcis from the repository root, as published with the project)");
        return corpus;
    }

    @TestFactory
    Stream<DynamicTest> everyExampleIsCapturedAndComesBackWithNoFieldLost() throws IOException {
        List<Path> examples;
        try (Stream<Path> files = Files.list(corpus())) {
            examples = files.filter(file -> file.getFileName().toString().endsWith(".jsonld"))
                    .filter(file -> !NOT_EXAMPLES.contains(file.getFileName().toString()))
                    .sorted().toList();
        }
        assertFalse(examples.isEmpty(), "no example documents in " + corpus());
        return examples.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> roundTrip(file)));
    }

    private void roundTrip(Path file) throws IOException {
        String published = Files.readString(file);
        JsonNode sent = Epcis.parse(published);
        JsonNode sentEvents = sent.path("epcisBody").path("eventList");

        Response accepted = asAdmin().contentType("application/ld+json").body(published).post("/epcis/capture");
        accepted.then().statusCode(202)
                .header("Location", containsString("/epcis/capture/"))
                .header("GS1-EPCIS-Version", equalTo("2.0.0"))
                .body("running", equalTo(false))
                .body("success", equalTo(true))
                .body("captureErrorBehaviour", equalTo("rollback"))
                .body("errors.size()", equalTo(0));
        String job = accepted.header("Location");
        JsonNode status = Epcis.parse(asAdmin().get(job).then().statusCode(200).extract().asString());
        assertEquals(sentEvents.size(), status.get("storedCount").asInt());

        // The capture's events, and only they, were recorded between the job's start and end.
        String from = status.get("createdAt").asText();
        String to = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.parse(status.get("finishedAt").asText())
                .plusNanos(1_000_000));
        for (String format : List.of("Never_Translates", "No_Preference")) {
            JsonNode answer = Epcis.parse(asAdmin().header("GS1-EPC-Format", format)
                    .queryParam("GE_recordTime", from).queryParam("LT_recordTime", to).queryParam("perPage", 100)
                    .get("/epcis/events").then().statusCode(200).extract().asString());
            assertEquals(List.of(), new EpcisSchema().validate(answer), "the answer follows the EPCIS schema");
            JsonNode returned = answer.path("epcisBody").path("queryResults").path("resultsBody").path("eventList");
            assertEquals(sentEvents.size(), returned.size(), file + ": events returned");
            for (int i = 0; i < sentEvents.size(); i++) {
                assertEquals(sentEvents.get(i), asCaptured(returned.get(i), sentEvents.get(i), sent.get("@context")),
                        file.getFileName() + " event " + i + " under " + format);
            }
            assertExtensionPrefixesDefined(sent, answer);
        }

        // In Digital Link form, every URN of the examples is translated and nothing else changes.
        JsonNode digitalLinks = Epcis.parse(asAdmin().header("GS1-EPC-Format", "Always_GS1_Digital_Link")
                .queryParam("GE_recordTime", from).queryParam("LT_recordTime", to).queryParam("perPage", 100)
                .get("/epcis/events").then().statusCode(200).extract().asString())
                .path("epcisBody").path("queryResults").path("resultsBody").path("eventList");
        for (int i = 0; i < sentEvents.size(); i++) {
            JsonNode returned = digitalLinks.get(i);
            for (String field : List.of("epcList", "childEPCs", "inputEPCList", "outputEPCList")) {
                for (int j = 0; j < sentEvents.get(i).path(field).size(); j++) {
                    String original = sentEvents.get(i).path(field).get(j).asText();
                    assertEquals(EpcIdentifier.isUrn(original) ? EpcIdentifier.parse(original).canonical() : original,
                            returned.path(field).get(j).asText(), file.getFileName() + " " + field + "[" + j + "]");
                }
            }
            assertTrue(returned.path("readPoint").path("id").asText("https://id.gs1.org/").startsWith("https://id.gs1.org/"));
        }

        // An event with an eventID is found by it, in an EPCISQueryDocument of its own.
        for (JsonNode event : sentEvents) {
            if (event.has("eventID")) {
                JsonNode alone = Epcis.parse(asAdmin().header("GS1-EPC-Format", "Never_Translates").urlEncodingEnabled(false)
                        .get("/epcis/events/" + EpcisResource.pathSegment(event.get("eventID").asText()))
                        .then().log().ifValidationFails().statusCode(200).extract().asString());
                assertEquals(event, asCaptured(alone.at("/epcisBody/queryResults/resultsBody/eventList/0"), event, sent.get("@context")));
            }
        }
    }

    /**
     * The returned event without what the repository adds: recordTime, and an eventID where none
     * was sent, which is the event's hash.
     */
    private static JsonNode asCaptured(JsonNode returned, JsonNode sent, JsonNode context) {
        ObjectNode copy = (ObjectNode) returned.deepCopy();
        assertTrue(copy.hasNonNull("recordTime"), "a returned event has a recordTime");
        assertTrue(copy.hasNonNull("eventID"), "a returned event has an eventID");
        copy.remove("recordTime");
        if (!sent.has("eventID")) {
            assertEquals(EventHash.of(sent, context), copy.get("eventID").asText(), "the repository names the event by its hash");
            copy.remove("eventID");
        }
        return copy;
    }

    /** Every prefix the captured document defined (example:, rail:) is defined the same way in the answer. */
    private static void assertExtensionPrefixesDefined(JsonNode sent, JsonNode answer) {
        List<JsonNode> terms = new ArrayList<>();
        for (JsonNode part : sent.path("@context")) {
            if (part.isObject()) {
                terms.add(part);
            }
        }
        for (JsonNode object : terms) {
            object.fields().forEachRemaining(term -> {
                boolean defined = false;
                for (JsonNode part : answer.path("@context")) {
                    defined |= term.getValue().equals(part.get(term.getKey()));
                }
                assertTrue(defined, "the answer's @context defines " + term.getKey());
            });
        }
    }
}
