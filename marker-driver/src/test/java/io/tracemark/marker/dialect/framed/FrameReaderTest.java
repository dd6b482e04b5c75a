package io.tracemark.marker.dialect.framed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class FrameReaderTest {

    private final List<FrameCodec.Decoded> decoded = new ArrayList<>();
    private final FrameReader reader = new FrameReader(decoded::add);

    @Test
    void noiseOutsideFramesIsDroppedAndFramesSurviveAnyChunking() {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(new byte[] {'x', 0x7F, (byte) 0xFF, FrameCodec.ETX});
        stream.writeBytes(FrameCodec.encode(Frame.data(5, ">3A OK")));
        stream.writeBytes(new byte[] {'\r', '\n'});
        stream.writeBytes(FrameCodec.encode(Frame.ack(9)));
        byte[] all = stream.toByteArray();

        for (byte b : all) {
            reader.accept(new byte[] {b});
        }

        assertEquals(List.of(Frame.data(5, ">3A OK"), Frame.ack(9)), frames());
    }

    @Test
    void anStxInsideAFrameStartsANewOne() {
        byte[] cut = FrameCodec.encode(Frame.data(5, "!MC A1 OK"));
        byte[] whole = FrameCodec.encode(Frame.data(6, "!MC A2 OK"));

        reader.accept(java.util.Arrays.copyOf(cut, cut.length - 1));
        reader.accept(whole);

        assertEquals(List.of(Frame.data(6, "!MC A2 OK")), frames());
    }

    @Test
    void aRunTooLongForAFrameIsDroppedAndTheNextFrameRead() {
        byte[] runaway = new byte[FrameCodec.MAX_BODY + 10];
        java.util.Arrays.fill(runaway, (byte) 'A');
        runaway[0] = FrameCodec.STX;

        reader.accept(runaway);
        reader.accept(new byte[] {FrameCodec.ETX});
        reader.accept(FrameCodec.encode(Frame.nak(1)));

        assertEquals(List.of(Frame.nak(1)), frames());
    }

    private List<Frame> frames() {
        List<Frame> frames = new ArrayList<>();
        for (FrameCodec.Decoded d : decoded) {
            frames.add(assertInstanceOf(FrameCodec.Valid.class, d).frame());
        }
        return frames;
    }
}
