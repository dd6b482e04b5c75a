package io.tracemark.marker.dialect.framed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tracemark.marker.dialect.DocExamples;
import io.tracemark.marker.dialect.message.Inbound;
import io.tracemark.marker.dialect.message.Messages;

class FrameCodecTest {

    @Test
    void checksumIsCrc16CcittFalse() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);

        assertEquals(0x29B1, FrameCodec.crc16(check, 0, check.length));
        assertEquals(0xFFFF, FrameCodec.crc16(new byte[0], 0, 0), "nothing summed leaves the initial value");
    }

    @Test
    void everyIntactFrameInTheManualDecodesAndEncodesToTheSameBytes() throws Exception {
        for (DocExamples.Example example : DocExamples.read("framed.md", "frame").examples()) {
            if (example.damaged()) {
                continue;
            }
            FrameCodec.Decoded decoded = FrameCodec.decode(body(example.bytes()));

            Frame frame = assertInstanceOf(FrameCodec.Valid.class, decoded, example.toString()).frame();
            assertArrayEquals(example.bytes(), FrameCodec.encode(frame), example.toString());
            if (frame.type() == Frame.Type.DATA && example.fromHost()) {
                assertTrue(frame.payload().matches("[0-9A-F]{2} (JOB|ENQ|STA|LOG|CLR)( .*)?"), example.toString());
            } else if (frame.type() == Frame.Type.DATA) {
                assertFalse(Messages.parse(frame.payload()) instanceof Inbound.Garbage, example.toString());
            }
        }
    }

    @Test
    void everyDamagedFrameInTheManualIsCaughtWithItsSequenceNumberReadable() throws Exception {
        int damaged = 0;
        for (DocExamples.Example example : DocExamples.read("framed.md", "frame").examples()) {
            if (example.damaged()) {
                FrameCodec.Decoded decoded = FrameCodec.decode(body(example.bytes()));
                FrameCodec.Damaged d = assertInstanceOf(FrameCodec.Damaged.class, decoded, example.toString());
                assertEquals(Integer.parseInt(example.text().substring(5, 7), 16), d.seq(), example.toString());
                damaged++;
            }
        }
        assertEquals(2, damaged, "the manual shows a damaged command and a damaged event");
    }

    @Test
    void theManualsExchangesFollowTheLinkRules() throws Exception {
        List<DocExamples.Example> examples = DocExamples.read("framed.md", "frame").examples();
        List<String> acks = new ArrayList<>();
        for (DocExamples.Example e : examples) {
            if (!e.damaged() && FrameCodec.decode(body(e.bytes())) instanceof FrameCodec.Valid v
                    && v.frame().type() == Frame.Type.ACK) {
                acks.add((e.fromHost() ? "H" : "M") + String.format("%02X", v.frame().seq()));
            }
        }
        assertEquals(List.of("M00", "M01", "H17", "M02", "H18", "H19", "M03", "H1A", "H1B"), acks);
    }

    @Test
    void framesRoundTripWithAnyPrintablePayload() {
        Frame frame = Frame.data(0xFE, "3F ENQ Zz09 ~ !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}");

        FrameCodec.Decoded decoded = FrameCodec.decode(body(FrameCodec.encode(frame)));

        assertEquals(frame, assertInstanceOf(FrameCodec.Valid.class, decoded).frame());
    }

    @Test
    void damageIsReportedWithWhatCanStillBeRead() {
        byte[] good = body(FrameCodec.encode(Frame.data(0x2C, "!MC A1 OK")));

        byte[] flipped = good.clone();
        flipped[6] ^= 0x80;
        assertDamaged(flipped, 0x2C, 'D');

        byte[] lowerCase = body(FrameCodec.encode(Frame.ack(0xAB)));
        lowerCase[0] = 'a';
        assertDamaged(lowerCase, null, 'A');

        byte[] unknownType = ascii("2CX" + hex(FrameCodec.crc16(ascii("2CX"), 0, 3)));
        assertDamaged(unknownType, 0x2C, 'X');

        byte[] ackWithPayload = ascii("2CAxy" + hex(FrameCodec.crc16(ascii("2CAxy"), 0, 5)));
        assertDamaged(ackWithPayload, 0x2C, 'A');

        assertDamaged(ascii("2CA12"), null, '?');
    }

    @Test
    void framesOutsideTheRulesCannotBeBuilt() {
        assertThrows(IllegalArgumentException.class, () -> Frame.data(256, "x"));
        assertThrows(IllegalArgumentException.class, () -> new Frame(1, Frame.Type.ACK, "x"));
        assertThrows(IllegalArgumentException.class, () -> Frame.data(1, "line\rbreak"));
        assertThrows(IllegalArgumentException.class, () -> Frame.data(1, "x".repeat(Messages.MAX_LENGTH + 1)));
    }

    private static void assertDamaged(byte[] body, Integer seq, char type) {
        FrameCodec.Damaged d = assertInstanceOf(FrameCodec.Damaged.class, FrameCodec.decode(body));
        if (seq == null) {
            assertNull(d.seq());
        } else {
            assertEquals(seq, d.seq());
        }
        assertEquals(type, d.type());
        assertFalse(d.why().isEmpty());
    }

    static byte[] body(byte[] frame) {
        assertEquals(FrameCodec.STX, frame[0]);
        assertEquals(FrameCodec.ETX, frame[frame.length - 1]);
        return Arrays.copyOfRange(frame, 1, frame.length - 1);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String hex(int crc) {
        return String.format("%04X", crc);
    }
}
