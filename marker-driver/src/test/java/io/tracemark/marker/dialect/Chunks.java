package io.tracemark.marker.dialect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A byte stream cut into the chunks a transport might deliver it in, the cuts chosen by the stream's own bytes. */
public final class Chunks {

    private Chunks() {
    }

    /** Chunks of 1 to 16 bytes, each length taken from the low bits of the byte that starts the chunk. */
    public static List<byte[]> of(byte[] stream) {
        List<byte[]> chunks = new ArrayList<>();
        int from = 0;
        while (from < stream.length) {
            int to = Math.min(stream.length, from + 1 + (stream[from] & 0x0f));
            chunks.add(Arrays.copyOfRange(stream, from, to));
            from = to;
        }
        return chunks;
    }
}
