package io.tracemark.marker.dialect.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tracemark.marker.MarkReport;
import io.tracemark.marker.MarkerStatus;
import io.tracemark.marker.transport.Packet;

/** The JSON of docs/markers/mqtt.md as the driver reads it, without a broker. */
class MqttCodecTest {

    private final MqttCodec codec = new MqttCodec();

    @Test
    void readsAStatusReplyAsDocumented() throws Exception {
        Inbound.Reply reply = (Inbound.Reply) codec.read(Packet.message("reply",
                "{\"msgId\":\"d1-5\",\"job\":\"LOT-A\",\"ok\":true,\"ready\":true,\"queued\":[\"D4E5F6\"],"
                        + "\"capacity\":16,\"bootId\":9007199254740993,\"fault\":null,\"firmware\":\"2.1\"}"));

        assertEquals(new MarkerStatus(true, "LOT-A", List.of("D4E5F6"), 16, 9007199254740993L, null),
                codec.status(reply));
    }

    @Test
    void readsAnErrorReplyAndTheMarkLog() throws Exception {
        Inbound.Reply refused = (Inbound.Reply) codec.read(Packet.message("reply",
                "{\"msgId\":\"d1-8\",\"job\":\"LOT-A\",\"ok\":false,\"error\":{\"code\":\"QUEUE_FULL\",\"text\":\"16\"}}"));
        Inbound.Reply log = (Inbound.Reply) codec.read(Packet.message("reply",
                "{\"msgId\":\"d1-9\",\"job\":null,\"ok\":true,\"marks\":[{\"id\":\"A1\",\"marked\":true,\"detail\":null},"
                        + "{\"id\":\"A2\",\"marked\":false,\"detail\":\"laser power low\"}]}"));

        assertFalse(refused.ok());
        assertEquals("QUEUE_FULL", refused.errorCode());
        assertEquals(List.of(MarkReport.marked("A1"), MarkReport.failed("A2", "laser power low")), codec.log(log));
    }

    @Test
    void readsEventsAndIgnoresKindsItDoesNotKnow() throws Exception {
        Inbound mark = codec.read(Packet.message("event",
                "{\"msgId\":\"m7-1\",\"job\":\"LOT-A\",\"event\":\"mark\",\"id\":\"A1\",\"result\":\"failed\",\"detail\":\"x\"}"));
        Inbound other = codec.read(Packet.message("event", "{\"msgId\":\"m7-2\",\"job\":null,\"event\":\"door\"}"));

        assertEquals(MarkReport.failed("A1", "x"), ((Inbound.Mark) mark).report());
        assertEquals(new Inbound.OtherEvent("door"), other);
    }

    @Test
    void readsTheLastWillAsOfflineWithEverythingElseUnknown() throws Exception {
        Inbound.State will = (Inbound.State) codec.read(new Packet("state",
                "{\"online\":false}".getBytes(StandardCharsets.UTF_8), true));

        assertEquals(new Inbound.State(false, null, null, null, null, true), will);
    }

    @Test
    void refusesWhatCouldMislabelAMark() {
        assertUnreadable("event", "{\"msgId\":\"m\",\"event\":\"mark\",\"id\":\"A1\",\"result\":\"maybe\"}");
        assertUnreadable("event", "{\"msgId\":\"m\",\"event\":\"mark\",\"id\":\"A1\",\"id\":\"A2\",\"result\":\"marked\"}");
        assertUnreadable("event", "{\"msgId\":\"m\",\"event\":\"mark\",\"id\":7,\"result\":\"marked\"}");
        assertUnreadable("reply", "{\"msgId\":\"d\",\"ok\":true} {\"msgId\":\"e\",\"ok\":true}");
        assertUnreadable("reply", "{\"msgId\":\"d\",\"ok\":\"yes\"}");
        assertUnreadable("reply", "[]");
        assertUnreadable("elsewhere", "{}");
    }

    @Test
    void anyOneFlippedTopBitMakesAMessageUnreadableAndNeverShowsAnotherMsgId() {
        byte[] reply = "{\"msgId\":\"d5f1c09e2-17\",\"job\":\"LOT-A\",\"ok\":true,\"queued\":[\"A1\"],\"bootId\":12}"
                .getBytes(StandardCharsets.UTF_8);

        for (int i = 0; i < reply.length; i++) {
            byte[] damaged = reply.clone();
            damaged[i] ^= (byte) 0x80;
            try {
                codec.read(new Packet("reply", damaged, false));
                fail("a flipped byte at " + i + " went unnoticed");
            } catch (UnreadableMessage e) {
                assertTrue(e.msgId() == null || e.msgId().equals("d5f1c09e2-17"),
                        "byte " + i + " made it look like an answer to " + e.msgId());
            }
        }
    }

    @Test
    void writesCommandsWithTheJobOnEveryOne() {
        assertEquals("{\"msgId\":\"d1-1\",\"cmd\":\"status\",\"job\":null}",
                new String(codec.status("d1-1", null), StandardCharsets.UTF_8));
        assertEquals("{\"msgId\":\"d1-2\",\"cmd\":\"log\",\"job\":\"LOT-A\",\"max\":5}",
                new String(codec.log("d1-2", "LOT-A", 5), StandardCharsets.UTF_8));
    }

    private void assertUnreadable(String topic, String text) {
        assertThrows(UnreadableMessage.class, () -> codec.read(Packet.message(topic, text)), text);
    }
}
