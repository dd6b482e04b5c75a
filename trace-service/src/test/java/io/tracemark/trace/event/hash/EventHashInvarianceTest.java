package io.tracemark.trace.event.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the hash must not see (record keeping, serialisation, the spelling of identifiers and
 * prefixes) and what it must see (every value that means something).
 */
class EventHashInvarianceTest {

    private static final String CONTEXT = """
            ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
             {"acme": "https://ns.acme.example/epcis/"}]
            """;

    private static final String EVENT = """
            {
              "type": "ObjectEvent",
              "eventTime": "2024-05-06T12:00:00.250+02:00",
              "eventTimeZoneOffset": "+02:00",
              "recordTime": "2024-05-06T12:00:05.000+02:00",
              "eventID": "urn:uuid:0b4b3d4e-8a77-4a0e-9a1f-6f9d1c3c2f10",
              "epcList": ["urn:epc:id:sgtin:9506000.013435.1001", "urn:epc:id:sgtin:9506000.013435.1002"],
              "action": "OBSERVE",
              "bizStep": "shipping",
              "disposition": "in_transit",
              "readPoint": {"id": "urn:epc:id:sgln:9506000.00001.0"},
              "bizLocation": {"id": "urn:epc:id:sgln:9506000.00002.0"},
              "bizTransactionList": [
                {"type": "po", "bizTransaction": "urn:epc:id:gdti:9506000.00001.1"},
                {"type": "desadv", "bizTransaction": "urn:epc:id:gdti:9506000.00001.2"}
              ],
              "quantityList": [{"epcClass": "urn:epc:class:lgtin:9506000.013435.L1", "quantity": 10, "uom": "KGM"}],
              "sensorElementList": [{"sensorReport": [{"type": "Temperature", "value": 4.5, "uom": "CEL"}]}],
              "acme:line": "L3",
              "acme:shift": {"acme:crew": "B", "acme:lead": "7"}
            }
            """;

    // ---- what is ignored ----

    @Test
    void recordKeepingIdentityCorrectionsAndCommentsAreNotHashed() {
        String base = hash(EVENT);
        assertEquals(base, hash(EVENT, e -> e.put("recordTime", "2031-01-01T00:00:00Z")));
        assertEquals(base, hash(EVENT, e -> e.remove("recordTime")));
        assertEquals(base, hash(EVENT, e -> e.put("eventID", "ni:///sha-256;00?ver=CBV2.0")));
        assertEquals(base, hash(EVENT, e -> e.remove("eventID")));
        assertEquals(base, hash(EVENT, e -> e.putObject("errorDeclaration")
                .put("declarationTime", "2024-05-07T00:00:00Z").put("reason", "incorrect_data")));
        assertEquals(base, hash(EVENT, e -> e.put("certificationInfo", "https://cert.example/1")));
        assertEquals(base, hash(EVENT, e -> e.put("rdfs:comment", "a note for people")));
    }

    @Test
    void fieldOrderAndWhitespaceAreNotHashed() throws JsonProcessingException {
        String base = hash(EVENT);
        ObjectNode reordered = reverseKeys(event(EVENT));
        assertEquals(base, EventHash.of(reordered, json(CONTEXT)));
        String compact = EpcisDocuments.JSON.writeValueAsString(event(EVENT));
        assertEquals(base, EventHash.of(json(compact), json(CONTEXT)));
        String pretty = EpcisDocuments.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(event(EVENT));
        assertEquals(base, EventHash.of(json(pretty), json(CONTEXT)));
        assertEquals(base, hash(EVENT, e -> e.put("action", "  OBSERVE\n")));
        assertEquals(base, hash(EVENT, e -> e.put("acme:line", "\tL3 ")));
    }

    @Test
    void theOrderOfListsIsNotHashed() {
        String base = hash(EVENT);
        assertEquals(base, hash(EVENT, e -> reverse((ArrayNode) e.get("epcList"))));
        assertEquals(base, hash(EVENT, e -> reverse((ArrayNode) e.get("bizTransactionList"))));
    }

    @Test
    void thePrefixAnExtensionIsWrittenWithIsNotHashed() {
        String base = hash(EVENT);
        String renamed = EVENT.replace("acme:", "a:");
        String renamedContext = CONTEXT.replace("\"acme\"", "\"a\"");
        assertEquals(base, EventHash.of(event(renamed), json(renamedContext)));

        // The prefix may also be declared by the event itself, as events in query results are.
        ObjectNode event = event(EVENT.replace("acme:", "x:"));
        event.putArray("@context").addObject().put("x", "https://ns.acme.example/epcis/");
        assertEquals(base, EventHash.of(event, json(CONTEXT)));
    }

    @Test
    void theSyntaxOfIdentifiersAndTermsIsNotHashed() {
        String base = hash(EVENT);
        // the same EPCs as Digital Links, one on a company's own resolver with a query string
        assertEquals(base, hash(EVENT, e -> e.putArray("epcList")
                .add("https://id.gs1.org/01/09506000134352/21/1001")
                .add("https://resolver.acme.example/01/09506000134352/10/L1/21/1002?linkType=all")));
        assertEquals(base, hash(EVENT, e -> e.put("bizStep", "urn:epcglobal:cbv:bizstep:shipping")));
        assertEquals(base, hash(EVENT, e -> e.put("bizStep", "https://ref.gs1.org/cbv/BizStep-shipping")));
        assertEquals(base, hash(EVENT, e -> e.put("disposition", "urn:epcglobal:cbv:disp:in_transit")));
        assertEquals(base, hash(EVENT, e -> at(e, "/readPoint").put("id", "https://id.gs1.org/414/9506000000015")));
    }

    @Test
    void theWritingOfTimesAndNumbersIsNotHashed() {
        String base = hash(EVENT);
        assertEquals(base, hash(EVENT, e -> e.put("eventTime", "2024-05-06T10:00:00.25Z")));
        assertEquals(base, hash(EVENT, e -> e.put("eventTime", "2024-05-06T05:00:00.2500-05:00")));
        assertEquals(base, hash(EVENT, e -> at(e, "/quantityList/0").put("quantity", 10.0)));
        assertEquals(base, hash(EVENT, e -> at(e, "/quantityList/0").put("quantity", "10.000")));
        assertEquals(base, hash(EVENT, e -> at(e, "/sensorElementList/0/sensorReport/0").put("value", "4.50")));
    }

    // ---- what is hashed ----

    @Test
    void everyMeaningfulValueChangesTheHash() {
        String base = hash(EVENT);
        Map<String, Consumer<ObjectNode>> changes = Map.ofEntries(
                Map.entry("an EPC", e -> ((ArrayNode) e.get("epcList")).set(1, e.textNode("urn:epc:id:sgtin:9506000.013435.1003"))),
                Map.entry("one EPC more", e -> ((ArrayNode) e.get("epcList")).add("urn:epc:id:sgtin:9506000.013435.1003")),
                Map.entry("the bizStep", e -> e.put("bizStep", "receiving")),
                Map.entry("the eventTime by a millisecond", e -> e.put("eventTime", "2024-05-06T12:00:00.251+02:00")),
                Map.entry("the time zone offset", e -> e.put("eventTimeZoneOffset", "+01:00")),
                Map.entry("the action", e -> e.put("action", "ADD")),
                Map.entry("the disposition", e -> e.put("disposition", "in_progress")),
                Map.entry("the read point", e -> at(e, "/readPoint").put("id", "urn:epc:id:sgln:9506000.00001.7")),
                Map.entry("the business location", e -> e.remove("bizLocation")),
                Map.entry("a transaction type", e -> at(e, "/bizTransactionList/0").put("type", "inv")),
                Map.entry("a quantity", e -> at(e, "/quantityList/0").put("quantity", 11)),
                Map.entry("a unit", e -> at(e, "/quantityList/0").put("uom", "GRM")),
                Map.entry("a sensor value", e -> at(e, "/sensorElementList/0/sensorReport/0").put("value", 4.6)),
                Map.entry("an extension value", e -> e.put("acme:line", "L4")),
                Map.entry("a nested extension value", e -> at(e, "/acme:shift").put("acme:crew", "C")),
                Map.entry("an added extension", e -> e.put("acme:operator", "42")),
                Map.entry("an extension moved into the ILMD", e -> e.putObject("ilmd").set("acme:line", e.remove("acme:line"))),
                Map.entry("the event type", e -> e.put("type", "TransactionEvent")));
        List<String> seen = new ArrayList<>(List.of(base));
        changes.forEach((what, change) -> {
            String changed = hash(EVENT, change);
            assertTrue(!seen.contains(changed), what + " left the hash as it was, or as another change made it");
            seen.add(changed);
        });
    }

    @Test
    void theNamespaceOfAnExtensionIsHashed() {
        String otherNamespace = CONTEXT.replace("https://ns.acme.example/epcis/", "https://ns.other.example/epcis/");
        assertNotEquals(hash(EVENT), EventHash.of(event(EVENT), json(otherNamespace)));
    }

    @Test
    void aMissingContextLeavesPrefixesAsWritten() {
        String preHash = EventHash.preHashString(event(EVENT), null);
        assertTrue(preHash.endsWith("acme:line=L3acme:shiftacme:crew=Bacme:lead=7"), preHash);
    }

    // ---- what is refused ----

    @Test
    void shapesEpcisDoesNotAllowAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> EventHash.of(EpcisDocuments.JSON.createArrayNode(), null));
        assertThrows(IllegalArgumentException.class, () -> EventHash.of(null, null));
        assertThrows(IllegalArgumentException.class, () -> EventHash.of(event(EVENT).without("type"), null));
        assertThrows(IllegalArgumentException.class, () -> hash(EVENT, e -> e.put("readPoint", "urn:epc:id:sgln:9506000.00001.0")));
        assertThrows(IllegalArgumentException.class, () -> hash(EVENT, e -> ((ArrayNode) e.get("epcList")).addObject()));
        assertThrows(IllegalArgumentException.class, () -> hash(EVENT, e -> e.putArray("bizStep").add("shipping")));
        assertThrows(IllegalArgumentException.class, () -> hash(EVENT, e -> e.put("ilmd", "lot 4")));
        assertThrows(IllegalArgumentException.class, () -> hash(EVENT, e -> e.putObject("persistentDisposition")
                .putArray("set").addObject()));
        assertThrows(IllegalArgumentException.class, () -> hash(EVENT, e -> at(e, "/bizTransactionList/0")
                .putArray("type").add("po")));
    }

    // ---- helpers ----

    private static String hash(String event) {
        return EventHash.of(event(event), json(CONTEXT));
    }

    private static String hash(String event, Consumer<ObjectNode> change) {
        ObjectNode node = event(event);
        change.accept(node);
        return EventHash.of(node, json(CONTEXT));
    }

    private static JsonNode json(String json) {
        try {
            return EpcisDocuments.JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static ObjectNode at(ObjectNode event, String pointer) {
        return (ObjectNode) event.at(pointer);
    }

    private static ObjectNode event(String json) {
        return (ObjectNode) json(json);
    }

    private static void reverse(ArrayNode array) {
        List<JsonNode> elements = new ArrayList<>();
        array.forEach(elements::add);
        Collections.reverse(elements);
        array.removeAll();
        array.addAll(elements);
    }

    private static ObjectNode reverseKeys(ObjectNode node) {
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            keys.add(it.next());
        }
        Collections.reverse(keys);
        ObjectNode reversed = EpcisDocuments.JSON.createObjectNode();
        for (String key : keys) {
            JsonNode value = node.get(key);
            if (value.isObject()) {
                value = reverseKeys((ObjectNode) value);
            } else if (value.isArray()) {
                ArrayNode array = EpcisDocuments.JSON.createArrayNode();
                value.forEach(v -> array.add(v.isObject() ? reverseKeys((ObjectNode) v) : v));
                value = array;
            }
            reversed.set(key, value);
        }
        return reversed;
    }
}
