package io.tracemark.marker.dialect.ascii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.tracemark.marker.MarkReport;
import io.tracemark.marker.MarkerStatus;
import io.tracemark.marker.dialect.Chunks;
import io.tracemark.marker.dialect.message.Inbound;
import io.tracemark.marker.dialect.message.Messages;

/**
 * The ascii dialect's read side against whatever a serial line delivers: lines cut at CR, each read
 * as a message of the command set (docs/fuzzing.md).
 */
class AsciiLinesFuzzTest {

    /**
     * However the bytes arrive, the same lines come out, none longer than one past the limit, and
     * every line reads as a well-formed message or as garbage with a reason; never an exception.
     */
    @FuzzTest
    void anyByteStreamSplitsTheSameAndEveryLineReads(byte[] stream) {
        List<String> whole = new ArrayList<>();
        new LineSplitter(whole::add).accept(stream);
        List<String> chunked = new ArrayList<>();
        LineSplitter splitter = new LineSplitter(chunked::add);
        for (byte[] chunk : Chunks.of(stream)) {
            splitter.accept(chunk);
        }

        assertEquals(whole, chunked);
        for (String line : whole) {
            assertTrue(line.length() <= Messages.MAX_LENGTH + 1, "line of " + line.length() + " characters");
            assertWellFormed(line, Messages.parse(line));
        }
    }

    /** The data of a status answer and of a log record is read or refused with IllegalArgumentException only. */
    @FuzzTest
    void statusAndLogRecordsAreReadOrRefusedByName(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsAsciiString();
        try {
            MarkerStatus status = Messages.status(text);
            status.queued().forEach(id -> assertTrue(id.matches("[0-9A-Za-z]{1,32}"), text));
            assertTrue(status.job() == null || !status.job().isEmpty(), text);
        } catch (IllegalArgumentException e) {
            assertFalse(e.getMessage().isBlank());
        }
        try {
            MarkReport report = Messages.logRecord(text);
            assertTrue(report.id().matches("[0-9A-Za-z]{1,32}"), text);
            assertTrue(report.marked() ? report.detail() == null : report.detail() != null, text);
        } catch (IllegalArgumentException e) {
            assertFalse(e.getMessage().isBlank());
        }
    }

    /** A completion event the marker writes for any mark id and detail reads back as the same report. */
    @FuzzTest
    void completionEventsReadBackAsTheReportWritten(FuzzedDataProvider data) {
        String id = alphanumeric(data.consumeString(32));
        boolean marked = data.consumeBoolean();
        String detail = printable(data.consumeRemainingAsString());
        if (id.isEmpty()) {
            return;
        }
        MarkReport report = marked ? MarkReport.marked(id) : MarkReport.failed(id, detail);
        String line = "!MC " + id + (marked ? " OK" : " FAIL" + (detail.isEmpty() ? "" : " " + detail));

        Inbound read = Messages.parse(line);

        if (line.length() > Messages.MAX_LENGTH) {
            assertInstanceOf(Inbound.Garbage.class, read);
        } else {
            assertEquals(new Inbound.Completion(report), read, line);
        }
    }

    private static void assertWellFormed(String line, Inbound read) {
        if (read instanceof Inbound.Reply reply) {
            assertTag(reply.tag());
        } else if (read instanceof Inbound.Refusal refusal) {
            assertTag(refusal.tag());
            assertTrue(refusal.code() >= 0 && refusal.code() <= 999, line);
        } else if (read instanceof Inbound.Item item) {
            assertTag(item.tag());
        } else if (read instanceof Inbound.Completion completion) {
            assertTrue(completion.report().id().matches("[0-9A-Za-z]{1,32}"), line);
        } else if (read instanceof Inbound.FaultRaised fault) {
            assertTrue(fault.fault().code().matches("[A-Z0-9_]{1,16}"), line);
        } else if (read instanceof Inbound.Booted booted) {
            assertEquals(Long.parseLong(line.substring(4)), booted.bootId());
        } else {
            Inbound.Garbage garbage = assertInstanceOf(Inbound.Garbage.class, read);
            assertEquals(line, garbage.line());
            assertFalse(garbage.why().isBlank());
        }
    }

    private static void assertTag(String tag) {
        assertTrue(tag.matches("[0-9A-F]{2}|--"), "tag " + tag);
    }

    private static String alphanumeric(String text) {
        return text.replaceAll("[^0-9A-Za-z]", "");
    }

    private static String printable(String text) {
        return text.replaceAll("[^\\x20-\\x7e]", "").strip();
    }
}
