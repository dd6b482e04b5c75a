package io.tracemark.marker.dialect.ascii;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tracemark.marker.dialect.message.Messages;

class LineSplitterTest {

    private final List<String> lines = new ArrayList<>();
    private final LineSplitter splitter = new LineSplitter(lines::add);

    @Test
    void linesEndAtCrWhereverTheChunksBreak() {
        feed(">3A O");
        feed("K\r\n!MC A1 OK\r");
        feed("\n>3B");

        assertEquals(List.of(">3A OK", "!MC A1 OK"), lines);
        feed("\r");
        assertEquals(">3B", lines.get(2));
    }

    @Test
    void anOverlongLineIsHandedOnAsTooLongAndTheNextLineIsWhole() {
        feed("x".repeat(Messages.MAX_LENGTH + 100) + "\r>3A OK\r");

        assertEquals(Messages.MAX_LENGTH + 1, lines.get(0).length());
        assertEquals(">3A OK", lines.get(1));
    }

    @Test
    void bytesAreKeptOneToOneSoNoiseStaysVisible() {
        splitter.accept(new byte[] {'>', (byte) 0xBE, 0x00, '\r'});

        assertEquals(">\u00be\u0000", lines.get(0));
    }

    private void feed(String s) {
        splitter.accept(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
