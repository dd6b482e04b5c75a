package io.tracemark.marker.dialect.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tracemark.marker.MarkReport;
import io.tracemark.marker.transport.Packet;

/** The MQTT dialect's JSON against whatever a broker delivers on the marker's topics (docs/fuzzing.md). */
class MqttMessagesFuzzTest {

    private static final String[] TOPICS = { MqttCodec.REPLY, MqttCodec.EVENT, MqttCodec.STATE, "elsewhere" };
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MqttCodec codec = new MqttCodec();

    /**
     * Any payload on any topic is read as a message, or refused as unreadable with a reason; a msgId
     * it is refused with was really in it. The results of a reply are read or refused the same way.
     */
    @FuzzTest
    void anyPayloadIsReadOrRefusedAsUnreadable(FuzzedDataProvider data) {
        String topic = data.pickValue(TOPICS);
        boolean retained = data.consumeBoolean();
        byte[] payload = data.consumeRemainingAsBytes();
        Inbound read;
        try {
            read = codec.read(new Packet(topic, payload, retained));
        } catch (UnreadableMessage e) {
            assertFalse(e.getMessage().isBlank());
            if (e.msgId() != null) {
                assertTrue(new String(payload, StandardCharsets.ISO_8859_1).contains(e.msgId()),
                        "msgId " + e.msgId() + " is not in the payload");
            }
            return;
        }
        assertNotNull(read);
        if (read instanceof Inbound.Reply reply) {
            assertFalse(reply.msgId().isEmpty());
            assertTrue(reply.ok() || reply.errorCode() != null);
            readResults(reply);
        } else if (read instanceof Inbound.State state) {
            assertEquals(retained, state.retained());
            assertTrue(state.queue() == null || state.queue() >= 0);
        }
    }

    /** A mark event the marker writes, for any id, result and detail, reads back as the same report. */
    @FuzzTest
    void markEventsReadBackAsTheReportWritten(FuzzedDataProvider data) throws Exception {
        String msgId = data.consumeString(64);
        String id = data.consumeString(64);
        boolean marked = data.consumeBoolean();
        String detail = data.consumeBoolean() ? null : data.consumeRemainingAsString();
        ObjectNode event = JSON.createObjectNode().put("msgId", msgId).put("event", "mark").put("id", id)
                .put("result", marked ? "marked" : "failed").put("detail", detail);

        try {
            Inbound read = codec.read(new Packet(MqttCodec.EVENT, JSON.writeValueAsBytes(event), false));
            assertEquals(new Inbound.Mark(msgId, null, new MarkReport(id, marked, detail)), read);
        } catch (UnreadableMessage e) {
            assertTrue(msgId.isEmpty(), "only a message without msgId is refused: " + e.getMessage());
        }
    }

    private void readResults(Inbound.Reply reply) {
        try {
            codec.status(reply).queued().forEach(id -> assertNotNull(id));
        } catch (UnreadableMessage e) {
            assertEquals(reply.msgId(), e.msgId());
        }
        try {
            codec.log(reply).forEach(report -> assertNotNull(report.id()));
        } catch (UnreadableMessage e) {
            assertEquals(reply.msgId(), e.msgId());
        }
    }
}
