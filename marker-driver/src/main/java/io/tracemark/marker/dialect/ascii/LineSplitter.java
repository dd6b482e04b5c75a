package io.tracemark.marker.dialect.ascii;

import java.util.function.Consumer;

import io.tracemark.marker.dialect.message.Messages;

/**
 * Cuts a byte stream into CR-terminated lines. Whatever a line holds, the next CR starts a fresh
 * one: that is how the host regains step after noise. LF is skipped so that CR LF also works.
 * Bytes are kept one to one as characters (ISO-8859-1), so unprintable ones stay visible to the
 * parser rather than being replaced.
 */
final class LineSplitter {

    static final byte CR = 0x0D;
    static final byte LF = 0x0A;

    private final Consumer<String> sink;
    private final StringBuilder line = new StringBuilder();

    LineSplitter(Consumer<String> sink) {
        this.sink = sink;
    }

    /** Called with each chunk as it arrives, on the transport's thread only. */
    void accept(byte[] chunk) {
        for (byte b : chunk) {
            if (b == CR) {
                String complete = line.toString();
                line.setLength(0);
                sink.accept(complete);
            } else if (b != LF && line.length() <= Messages.MAX_LENGTH) {
                // One character past the limit is kept: it makes the parser reject the line as too long.
                line.append((char) (b & 0xFF));
            }
        }
    }
}
