package io.tracemark.marker.dialect.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.tracemark.marker.MarkReport;
import io.tracemark.marker.MarkerFault;
import io.tracemark.marker.MarkerStatus;
import io.tracemark.marker.dialect.DocExamples;

class MessagesTest {

    private static final Pattern COMMAND = Pattern.compile("([0-9A-F]{2}) ([A-Z]{3})(?: (.*))?");

    @Test
    void everyLineOfTheManualIsWhatTheCodecWritesAndReads() throws Exception {
        for (DocExamples.Example example : DocExamples.read("ascii.md", "line").examples()) {
            String text = new String(example.bytes(), StandardCharsets.US_ASCII);
            assertTrue(text.endsWith("\r"), example + " ends with CR");
            String message = text.substring(0, text.length() - 1);
            if (example.fromHost()) {
                Matcher m = COMMAND.matcher(message);
                assertTrue(m.matches(), example.toString());
                assertEquals(message, Messages.command(m.group(1), m.group(2), m.group(3)));
            } else {
                assertFalse(Messages.parse(message) instanceof Inbound.Garbage, example.toString());
            }
        }
    }

    @Test
    void statusFieldsReadAsTheManualDefinesThem() {
        MarkerStatus status = Messages.status("R=1 B=-1700000000 C=16 J=LABEL_A F=INTERLOCK Q=A1B2C4,A1B2C5 X=later");

        assertEquals(new MarkerStatus(true, "LABEL_A", List.of("A1B2C4", "A1B2C5"), 16, -1700000000L, "INTERLOCK"), status);
        assertEquals(new MarkerStatus(false, null, List.of(), 0, 7, null), Messages.status("R=0 B=7 C=0 J= F= Q="));
    }

    @Test
    void aStatusWithMissingOrBadFieldsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Messages.status("R=1 B=7 C=16 J= F="));
        assertThrows(IllegalArgumentException.class, () -> Messages.status("R=2 B=7 C=16 J= F= Q="));
        assertThrows(IllegalArgumentException.class, () -> Messages.status("R=1 B=x C=16 J= F= Q="));
        assertThrows(IllegalArgumentException.class, () -> Messages.status("R=1 B=7 C=16 J= F= Q=A1,,A2"));
        assertThrows(IllegalArgumentException.class, () -> Messages.status("R=1  B=7 C=16 J= F= Q="));
    }

    @Test
    void answersAndEventsAreTellableApartByTheirFirstByte() {
        assertEquals(new Inbound.Reply("3A", ""), Messages.parse(">3A OK"));
        assertEquals(new Inbound.Reply("3A", "2"), Messages.parse(">3A OK 2"));
        assertEquals(new Inbound.Refusal("FF", 202, "queue full"), Messages.parse(">FF ER 202 queue full"));
        assertEquals(new Inbound.Refusal("--", 101, ""), Messages.parse(">-- ER 101"));
        assertEquals(new Inbound.Item("00", "A1 FAIL no item"), Messages.parse(">00 LG A1 FAIL no item"));
        assertEquals(new Inbound.Completion(MarkReport.marked("A1")), Messages.parse("!MC A1 OK"));
        assertEquals(new Inbound.Completion(MarkReport.failed("A1", "")), Messages.parse("!MC A1 FAIL"));
        assertEquals(new Inbound.FaultRaised(new MarkerFault("OVER_TEMP", "")), Messages.parse("!FT OVER_TEMP"));
        assertEquals(new Inbound.Booted(42), Messages.parse("!BT 42"));
    }

    @Test
    void anythingElseIsGarbageWithTheReason() {
        for (String line : List.of("OK", ">3a OK", ">3A ok", ">3A ER queue full", "!MC A-1 OK", "!XX", "!BT 99999999999999999999",
                ">3A OK caf\u00e9", ">3A OK \u0000", "x".repeat(Messages.MAX_LENGTH + 1))) {
            Inbound.Garbage garbage = assertInstanceOf(Inbound.Garbage.class, Messages.parse(line), line);
            assertFalse(garbage.why().isEmpty());
        }
    }

    @Test
    void logRecordsAndTags() {
        assertEquals(MarkReport.failed("A1B2C2", "laser power low"), Messages.logRecord("A1B2C2 FAIL laser power low"));
        assertEquals(MarkReport.marked("A1B2C3"), Messages.logRecord("A1B2C3 OK"));
        assertThrows(IllegalArgumentException.class, () -> Messages.logRecord("A1B2C3 DONE"));
        assertEquals("00", Messages.tag(256));
        assertEquals("FF", Messages.tag(-1));
        assertEquals("3A STA", Messages.command("3A", "STA", ""));
        assertEquals(">3A \\xBEK\\x0D", Messages.visible(">3A \u00beK\r"));
    }
}
