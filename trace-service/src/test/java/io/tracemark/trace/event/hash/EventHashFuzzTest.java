package io.tracemark.trace.event.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The EPCIS event hash over any JSON an event may be (docs/event-hash.md, docs/fuzzing.md). The
 * seed corpus holds GS1's reference events; the input is an event, or a document whose first
 * event is hashed under the document's {@code @context}.
 */
class EventHashFuzzTest {

    /** As capture reads events: numbers keep the digits they were sent with. */
    private static final JsonMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true)).build();

    /**
     * Any event has a hash of the documented form or is refused with an IllegalArgumentException
     * that says why; the hash does not change with the order of members, nor with the event being
     * written out and read again.
     */
    @FuzzTest
    void anyEventHasOneHashWhateverItsMemberOrderOrIsRefusedWithAReason(byte[] input) throws IOException {
        JsonNode json;
        try {
            json = JSON.readTree(input);
        } catch (IOException e) {
            return;
        }
        if (json == null || !json.isObject()) {
            return;
        }
        JsonNode context = json.get("@context");
        JsonNode event = json.path("epcisBody").path("eventList").path(0);
        if (!event.isObject()) {
            event = json;
            context = null;
        }
        String hash;
        try {
            hash = EventHash.of(event, context);
        } catch (IllegalArgumentException e) {
            assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "a refused event says why");
            JsonNode refused = event;
            JsonNode refusedContext = context;
            assertThrows(IllegalArgumentException.class, () -> EventHash.of(reverseKeys(refused), refusedContext));
            return;
        }
        assertTrue(hash.matches("ni:///sha-256;[0-9a-f]{64}\\?ver=CBV2\\.0"), hash);
        assertEquals(hash, EventHash.of(reverseKeys(event), context), "member order is not hashed");
        JsonNode reread = JSON.readTree(JSON.writeValueAsBytes(event));
        assertEquals(hash, EventHash.of(reread, context), "serialisation is not hashed");
    }

    private static JsonNode reverseKeys(JsonNode node) {
        if (node.isArray()) {
            ArrayNode array = JSON.createArrayNode();
            node.forEach(element -> array.add(reverseKeys(element)));
            return array;
        }
        if (!node.isObject()) {
            return node;
        }
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        Collections.reverse(keys);
        ObjectNode reversed = JSON.createObjectNode();
        keys.forEach(key -> reversed.set(key, reverseKeys(node.get(key))));
        return reversed;
    }
}
