package io.tracemark.trace.event.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Every event of the EPCIS 2.0 examples the project keeps in shared/conformance/epcis: its hash
 * is the pinned one (so any change of the algorithm shows), two events share a hash exactly when
 * they say the same thing, and the events the reference implementation publishes hashes for get
 * those hashes.
 */
class EventHashConformanceExamplesTest {

    /** Overrides where the examples are; by default shared/ beside the repository is searched. */
    private static final String DIRECTORY_PROPERTY = "tracemark.epcis.examples";

    /**
     * The events that are the same event written twice: the query document returns the two
     * events of example 9.6.1 (one with its eventTime written to the microsecond), and example
     * 9.6.4 exists once with EPC URIs and once with two of its classes as Digital Links.
     */
    private static final Set<Set<String>> SAME_EVENTS = Set.of(
            Set.of("EPCISQueryDocument.jsonld#0", "Example_9.6.1-ObjectEvent.jsonld#0"),
            Set.of("EPCISQueryDocument.jsonld#1", "Example_9.6.1-ObjectEvent.jsonld#1"),
            Set.of("Example_9.6.4-TransformationEvent.jsonld#0", "Example_9.6.4-TransformationEventWithDigitalLink.jsonld#0"));

    private static final Map<String, String> hashes = new TreeMap<>();
    private static final Map<String, String> preHashes = new TreeMap<>();

    @BeforeAll
    static void hashEveryExample() throws IOException {
        Path directory = examples();
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".jsonld")).sorted().toList();
        }
        for (Path file : files) {
            JsonNode document = EpcisDocuments.file(file);
            if (!document.has("epcisBody")) {
                continue; // the JSON-LD context that sits beside the examples
            }
            List<ObjectNode> events = EpcisDocuments.events(document);
            for (int i = 0; i < events.size(); i++) {
                String key = file.getFileName() + "#" + i;
                hashes.put(key, EventHash.of(events.get(i), EpcisDocuments.context(document)));
                preHashes.put(key, EventHash.preHashString(events.get(i), EpcisDocuments.context(document)));
            }
        }
    }

    @Test
    void everyExampleHasItsPinnedHash() {
        Map<String, String> pinned = new TreeMap<>();
        for (String line : EpcisDocuments.lines("conformance-hashes.txt")) {
            if (!line.startsWith("#")) {
                String[] parts = line.split(" ");
                pinned.put(parts[0], parts[1]);
            }
        }
        assertEquals(pinned, hashes);
    }

    @Test
    void hashingIsStableAcrossCallsAndCopies() {
        for (Map.Entry<String, String> example : hashes.entrySet()) {
            String[] key = example.getKey().split("#");
            JsonNode document = EpcisDocuments.file(examples().resolve(key[0]));
            ObjectNode copy = EpcisDocuments.events(document.deepCopy()).get(Integer.parseInt(key[1]));
            assertEquals(example.getValue(), EventHash.of(copy, EpcisDocuments.context(document)), example.getKey());
        }
    }

    @Test
    void eventsShareAHashExactlyWhenTheySayTheSameThing() {
        Map<String, Set<String>> byHash = new LinkedHashMap<>();
        hashes.forEach((key, hash) -> byHash.computeIfAbsent(hash, h -> new TreeSet<>()).add(key));
        Set<Set<String>> shared = new HashSet<>();
        for (Set<String> group : byHash.values()) {
            if (group.size() > 1) {
                shared.add(group);
                List<String> texts = new ArrayList<>();
                group.forEach(key -> texts.add(preHashes.get(key)));
                assertEquals(1, new TreeSet<>(texts).size(), "one hash for different pre-hash strings: " + group);
            }
        }
        assertEquals(SAME_EVENTS, shared);
        assertEquals(hashes.size(), new TreeSet<>(preHashes.values()).size() + SAME_EVENTS.size());
    }

    @Test
    void theExamplesTheReferencePublishesHashesForGetThem() {
        List<String> published = EpcisDocuments.lines("reference/epcisQueryDocument.hashes");
        assertEquals(published.get(0), hashes.get("EPCISQueryDocument.jsonld#0"));
        assertEquals(published.get(1), hashes.get("EPCISQueryDocument.jsonld#1"));
        assertEquals(published.get(0), hashes.get("Example_9.6.1-ObjectEvent.jsonld#0"));
        assertEquals(published.get(1), hashes.get("Example_9.6.1-ObjectEvent.jsonld#1"));
    }

    private static Path examples() {
        String configured = System.getProperty(DIRECTORY_PROPERTY);
        if (configured != null) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/conformance/epcis");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return fail("shared/conformance/epcis is not beside the repository; set -D" + DIRECTORY_PROPERTY);
    }
}
