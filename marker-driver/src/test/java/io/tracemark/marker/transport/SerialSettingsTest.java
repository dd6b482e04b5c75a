package io.tracemark.marker.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.tracemark.marker.transport.SerialSettings.FlowControl;
import io.tracemark.marker.transport.SerialSettings.Parity;
import io.tracemark.marker.transport.SerialSettings.StopBits;

class SerialSettingsTest {

    @Test
    void compactSpecificationReadsEveryField() {
        SerialSettings s = SerialSettings.parse("/dev/ttyUSB0", "115200,7E2,rtscts");

        assertEquals(new SerialSettings("/dev/ttyUSB0", 115200, 7, Parity.EVEN, StopBits.TWO, FlowControl.RTS_CTS), s);
        assertEquals("/dev/ttyUSB0 115200 7E2 rtscts", s.describe());
        assertEquals("115200,7E2,rtscts", s.spec());
    }

    @Test
    void framingAndFlowDefaultTo8N1WithoutHandshake() {
        SerialSettings s = SerialSettings.parse("/dev/ttyS0", " 9600 ");

        assertEquals(SerialSettings.of("/dev/ttyS0", 9600), s);
        assertEquals("/dev/ttyS0 9600 8N1", s.describe());
    }

    @Test
    void caseAndSpacesDoNotMatterAndTheSpecRoundTrips() {
        SerialSettings s = SerialSettings.parse("/dev/marker", "19200, 5s1.5 , XONXOFF");

        assertEquals("19200,5S1.5,xonxoff", s.spec());
        assertEquals(s, SerialSettings.parse("/dev/marker", s.spec()));
    }

    @Test
    void impossibleSettingsAreRefusedWithTheReason() {
        assertMessage("port path is required", () -> SerialSettings.of(" ", 9600));
        assertMessage("Baud rate 0 is outside", () -> SerialSettings.of("/dev/ttyS0", 0));
        assertMessage("Data bits must be 5 to 8, not 9", () -> new SerialSettings("/dev/ttyS0", 9600, 9,
                Parity.NONE, StopBits.ONE, FlowControl.NONE));
        assertMessage("1.5 stop bits exist only with 5 data bits", () -> SerialSettings.parse("/dev/ttyS0",
                "9600,8N1.5"));
        assertMessage("is not a number", () -> SerialSettings.parse("/dev/ttyS0", "fast,8N1"));
        assertMessage("Framing '8X1'", () -> SerialSettings.parse("/dev/ttyS0", "9600,8X1"));
        assertMessage("Unknown flow control 'dtrdsr'", () -> SerialSettings.parse("/dev/ttyS0", "9600,8N1,dtrdsr"));
        assertMessage("more than baud, framing and flow control", () -> SerialSettings.parse("/dev/ttyS0",
                "9600,8N1,none,extra"));
    }

    private static void assertMessage(String expected, Runnable action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' should contain '" + expected + "'");
    }
}
