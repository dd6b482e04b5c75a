package io.tracemark.trace.event.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The published test vectors of the GS1 reference implementation (README in
 * src/test/resources/event-hash): every event of every document must give the published hash,
 * and the published pre-hash string where one is published.
 */
class EventHashReferenceVectorsTest {

    /** Listed, not discovered, so that a vector lost from the resources fails the build. */
    private static final List<String> DOCUMENTS = List.of(
            "AggregationEvent_all_possible_fields.json",
            "AssociationEvent_all_possible_fields.json",
            "CertificationInfoAndSensorReportWithCRS.jsonld",
            "ObjectEvent_all_possible_fields.json",
            "ReferenceEventHashAlgorithm.jsonld",
            "ReferenceEventHashAlgorithm2.jsonld",
            "ReferenceEventHashAlgorithm3.jsonld",
            "TimeStampRoundOff.jsonld",
            "TransactionEvent_all_possible_fields.json",
            "TransformationEventWithUserExtensions.json",
            "TransformationEvent_all_possible_fields.json",
            "epcisDocHavingEventWithComment.jsonld",
            "epcisDocWithAllGS1Keys.jsonld",
            "epcisDocWithCustomExtensions.jsonld",
            "epcisDocWithSensorComponent.jsonld",
            "epcisDocWithVariousEventTypes.jsonld",
            "epcisDocWithXMLstartTagAndErrorDeclaration.jsonld",
            "epcisQueryDocument.jsonld",
            "epclist_normalisation.jsonld");

    private static final int EVENTS = 35;
    private static final int PRE_HASH_STRINGS = 10;

    @TestFactory
    Stream<DynamicTest> everyEventGivesThePublishedHash() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : DOCUMENTS) {
            JsonNode document = EpcisDocuments.resource("reference/" + name);
            List<ObjectNode> events = EpcisDocuments.events(document);
            String base = name.substring(0, name.lastIndexOf('.'));
            List<String> hashes = EpcisDocuments.lines("reference/" + base + ".hashes");
            List<String> preHashes = EpcisDocuments.lines("reference/" + base + ".prehashes");
            tests.add(DynamicTest.dynamicTest(base + ": one published hash per event",
                    () -> assertEquals(events.size(), hashes.size())));
            for (int i = 0; i < events.size(); i++) {
                ObjectNode event = events.get(i);
                int index = i;
                tests.add(DynamicTest.dynamicTest(base + " event " + (i + 1), () -> {
                    if (index < preHashes.size()) {
                        assertEquals(preHashes.get(index), EventHash.preHashString(event, EpcisDocuments.context(document)));
                    }
                    assertEquals(hashes.get(index), EventHash.of(event, EpcisDocuments.context(document)));
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void theVectorsCoverWhatTheyClaimTo() {
        int events = 0;
        int preHashes = 0;
        for (String name : DOCUMENTS) {
            String base = name.substring(0, name.lastIndexOf('.'));
            events += EpcisDocuments.events(EpcisDocuments.resource("reference/" + name)).size();
            preHashes += EpcisDocuments.lines("reference/" + base + ".prehashes").size();
        }
        assertEquals(EVENTS, events);
        assertEquals(PRE_HASH_STRINGS, preHashes);
    }

    @Test
    void thePreHashStringIsWhatIsHashed() {
        JsonNode document = EpcisDocuments.resource("reference/ReferenceEventHashAlgorithm3.jsonld");
        ObjectNode event = EpcisDocuments.events(document).get(0);
        String preHash = EventHash.preHashString(event, EpcisDocuments.context(document));
        assertEquals(EventHash.hashOf(preHash), EventHash.of(event, EpcisDocuments.context(document)));
        assertTrue(EventHash.of(event, EpcisDocuments.context(document))
                .matches("ni:///sha-256;[0-9a-f]{64}\\?ver=CBV2\\.0"));
    }
}
