package io.tracemark.marker.dialect.framed;

import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;

/**
 * Finds frames in a byte stream. Bytes outside STX ... ETX are line noise and dropped; an STX
 * inside a frame means its ETX was lost, so the partial frame is dropped and a new one starts;
 * a frame that grows past {@link FrameCodec#MAX_BODY} is dropped and the next STX awaited.
 */
final class FrameReader {

    private final Consumer<FrameCodec.Decoded> sink;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private boolean inFrame;

    FrameReader(Consumer<FrameCodec.Decoded> sink) {
        this.sink = sink;
    }

    /** Called with each chunk as it arrives, on the transport's thread only. */
    void accept(byte[] chunk) {
        for (byte b : chunk) {
            if (b == FrameCodec.STX) {
                body.reset();
                inFrame = true;
            } else if (!inFrame) {
                continue;
            } else if (b == FrameCodec.ETX) {
                inFrame = false;
                sink.accept(FrameCodec.decode(body.toByteArray()));
            } else if (body.size() >= FrameCodec.MAX_BODY) {
                inFrame = false;
            } else {
                body.write(b);
            }
        }
    }
}
