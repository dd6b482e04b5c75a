package io.tracemark.marker.dialect.framed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.tracemark.marker.dialect.Chunks;
import io.tracemark.marker.dialect.message.Messages;

/**
 * The framed dialect's codec against whatever a serial line delivers (docs/fuzzing.md). Under
 * {@code mvn verify} each target runs over its seed corpus in FrameCodecFuzzTestInputs/.
 */
class FrameCodecFuzzTest {

    /** Any bytes between STX and ETX are an intact frame, which writes back to the very same bytes, or named damage. */
    @FuzzTest
    void anyBodyIsAFrameWrittenBackByteForByteOrNamedDamage(byte[] body) {
        FrameCodec.Decoded decoded = FrameCodec.decode(body);

        if (decoded instanceof FrameCodec.Valid valid) {
            assertArrayEquals(onTheWire(body), FrameCodec.encode(valid.frame()), "one frame, one spelling");
        } else {
            FrameCodec.Damaged damaged = assertInstanceOf(FrameCodec.Damaged.class, decoded);
            assertFalse(damaged.why().isBlank());
            assertTrue(damaged.seq() == null || (damaged.seq() >= 0 && damaged.seq() <= 255), damaged.toString());
        }
    }

    /** Every frame survives encode and decode, and no single damaged byte between STX and ETX passes as a frame. */
    @FuzzTest
    void framesRoundTripAndOneDamagedByteIsAlwaysCaught(FuzzedDataProvider data) {
        Frame frame = frame(data);
        byte[] wire = FrameCodec.encode(frame);
        byte[] body = Arrays.copyOfRange(wire, 1, wire.length - 1);

        assertEquals(new FrameCodec.Valid(frame), FrameCodec.decode(body));

        int at = data.consumeInt(0, body.length - 1);
        byte replacement = data.consumeByte();
        if (replacement != body[at]) {
            body[at] = replacement;
            // CRC-16 catches every error burst of up to 16 bits; the hex digits admit one spelling per value.
            assertFalse(FrameCodec.decode(body) instanceof FrameCodec.Valid, "damage at byte " + at + " went unnoticed");
        }
    }

    /** The reader finds the same frames in a byte stream however the transport cuts it into chunks. */
    @FuzzTest
    void theStreamReadsTheSameWhereverTheChunksBreak(byte[] stream) {
        List<FrameCodec.Decoded> whole = new ArrayList<>();
        new FrameReader(whole::add).accept(stream);
        List<FrameCodec.Decoded> chunked = new ArrayList<>();
        FrameReader reader = new FrameReader(chunked::add);
        for (byte[] chunk : Chunks.of(stream)) {
            reader.accept(chunk);
        }

        assertEquals(whole, chunked);
    }

    private static Frame frame(FuzzedDataProvider data) {
        Frame.Type type = data.pickValue(Frame.Type.values());
        int seq = type == Frame.Type.RESET ? 0 : data.consumeInt(0, 255);
        if (type != Frame.Type.DATA) {
            return new Frame(seq, type, "");
        }
        StringBuilder payload = new StringBuilder();
        for (char c : data.consumeAsciiString(Messages.MAX_LENGTH).toCharArray()) {
            payload.append((char) (0x20 + c % 0x5f));
        }
        return Frame.data(seq, payload.toString());
    }

    private static byte[] onTheWire(byte[] body) {
        byte[] wire = new byte[body.length + 2];
        wire[0] = FrameCodec.STX;
        System.arraycopy(body, 0, wire, 1, body.length);
        wire[wire.length - 1] = FrameCodec.ETX;
        return wire;
    }
}
