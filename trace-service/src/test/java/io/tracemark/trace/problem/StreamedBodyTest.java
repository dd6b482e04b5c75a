package io.tracemark.trace.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import jakarta.ws.rs.core.StreamingOutput;

import org.junit.jupiter.api.Test;

import io.tracemark.trace.LogCapture;

/**
 * A streamed answer tells a client that stopped reading from a failure of the service: the first
 * is one line at INFO and ends the answer, the second fails it as before.
 */
class StreamedBodyTest {

    /** A client's connection that takes {@code limit} bytes and then is gone, as a reset socket is. */
    private static final class Hangs extends OutputStream {
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private final int limit;

        Hangs(int limit) {
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            if (received.size() >= limit) {
                throw new IOException("Connection reset by peer");
            }
            received.write(b);
        }
    }

    /** Rows of a CSV as the registry writes them: each line through a writer that wraps IOExceptions. */
    private static final StreamingOutput ROWS = out -> {
        for (int row = 0; row < 1000; row++) {
            try {
                out.write(("row " + row + "\n").getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    @Test
    void aClientThatGoesIsOneLineAtInfoWithoutAStackTrace() throws Exception {
        try (LogCapture log = LogCapture.start()) {
            StreamedBody.of("the code list CSV of batch 7", ROWS).write(new Hangs(100));
            List<LogRecord> told = log.startingWith("The client stopped reading the code list CSV of batch 7");
            assertEquals(1, told.size(), () -> log.lines().toString());
            assertEquals(Level.INFO, told.get(0).getLevel());
            assertEquals("The client stopped reading the code list CSV of batch 7 after 95 bytes"
                    + " (java.io.IOException: Connection reset by peer)", LogCapture.text(told.get(0)));
            assertEquals(null, told.get(0).getThrown());
            assertEquals(List.of(), log.warningsOrTraces());
        }
    }

    @Test
    void aClientThatReadsToTheEndGetsEveryByteAndNothingIsLogged() throws Exception {
        Hangs client = new Hangs(Integer.MAX_VALUE);
        try (LogCapture log = LogCapture.start()) {
            StreamedBody.of("the code list CSV of batch 7", ROWS).write(client);
            assertEquals(List.of(), log.startingWith("The client stopped reading"));
        }
        assertEquals(7890, client.received.size());
    }

    @Test
    void aFailureOfTheServiceStillFailsTheAnswer() {
        IllegalStateException database = new IllegalStateException("Reading the codes of batch 7 failed");
        StreamingOutput failing = out -> {
            out.write("serial,uri\n".getBytes(StandardCharsets.US_ASCII));
            throw database;
        };
        assertSame(database, assertThrows(IllegalStateException.class,
                () -> StreamedBody.of("the code list CSV of batch 7", failing).write(new Hangs(1_000_000))));
    }
}
