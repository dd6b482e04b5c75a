package io.tracemark.marker.dialect.panasonic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tracemark.marker.Dialect;
import io.tracemark.marker.Dialects;

/**
 * The worked examples of the Panasonic LP Serial Communication Command Manual, LP-400/V
 * compatible mode (ME-LP-GS-SR-COMP-3), byte for byte; page numbers as in the manual.
 */
class LpCodecTest {

    private static final LpCodec PLAIN = new LpCodec(LpOptions.DEFAULTS);
    private static final LpCodec CHECKSUM = new LpCodec(new LpOptions(true, false, 0, 0));

    private static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replace(" ", ""));
    }

    @Test
    void fileNumberChangeRequestWithChecksumIsThePage33Example() {
        assertArrayEquals(hex("02 46 4E 4F 53 32 30 34 37 30 35 0D"),
                CHECKSUM.encode(new LpMessage.Command("FNO", 'S', "2047")));
    }

    @Test
    void positiveResponseAndFileNumberReadoutAreThePage33Examples() {
        assertArrayEquals(hex("06 30 30 36 36 0D"), CHECKSUM.encode(new LpMessage.Ack()));
        assertArrayEquals(hex("02 46 4E 4F 41 32 30 34 37 46 33 0D"),
                CHECKSUM.encode(new LpMessage.Command("FNO", 'A', "2047")));
        assertEquals(new LpMessage.Command("FNO", 'A', "2047"), CHECKSUM.decode(hex("02 46 4E 4F 41 32 30 34 37 46 33")));
        assertEquals(new LpMessage.Ack(), CHECKSUM.decode(hex("06 30 30 36 36")));
    }

    @Test
    void checksumIsTheLowerByteOfTheSumFromTheStartCodeAsInThePage32Example() {
        // [STX] LPW S 042.5: 02+4C+50+57+53+30+34+32+2E+35 = 241 hex, checksum "41".
        assertEquals("41", LpCodec.checksum(hex("02 4C 50 57 53 30 34 32 2E 35")));
        assertArrayEquals(hex("02 4C 50 57 53 30 34 32 2E 35 34 31 0D"),
                CHECKSUM.encode(new LpMessage.Command("LPW", 'S', "042.5")));
    }

    @Test
    void commandExamplesWithoutChecksumMatchTheirPages() {
        // MKM (3-3-1, p.56), MST (3-3-8, p.64), FNM (3-4-5, p.68).
        assertArrayEquals(bytes("\u0002MKMS0\r"), PLAIN.encode(new LpMessage.Command("MKM", 'S', "0")));
        assertArrayEquals(bytes("\u0002MSTS1\r"), PLAIN.encode(new LpMessage.Command("MST", 'S', "1")));
        assertArrayEquals(bytes("\u0002FNMR\r"), PLAIN.encode(new LpMessage.Command("FNM", 'R', "")));
        assertEquals(new LpMessage.Command("MST", 'A', "E400"), PLAIN.decode(bytes("\u0002MSTAE400")));
        assertEquals(new LpMessage.Command("FNM", 'A', "abcd"), PLAIN.decode(bytes("\u0002FNMAabcd")));
    }

    @Test
    void crLfEndCodeEndsEveryMessageAndBothEndCodesSplitTheSame() {
        LpCodec crlf = new LpCodec(new LpOptions(false, true, 0, 0));
        assertArrayEquals(bytes("\u0002STSR\r\n"), crlf.encode(new LpMessage.Command("STS", 'R', "")));
        List<String> messages = new ArrayList<>();
        LpCodec.Splitter splitter = new LpCodec.Splitter(m -> messages.add(new String(m)));
        splitter.accept(bytes("\u000600\r\n\u0002STSA0"));
        splitter.accept(bytes("2110\r\u001509\r"));
        assertEquals(List.of("\u000600", "\u0002STSA02110", "\u001509"), messages);
    }

    @Test
    void aNegativeResponseCarriesTheManualsCause() {
        assertEquals(new LpMessage.Nak("03"), PLAIN.decode(bytes("\u001503")));
        assertTrue(LpResponseCodes.cause("03").contains("command reception permission"));
        assertEquals("NAK10", LpResponseCodes.fault("10").code());
        assertEquals("Incorrect check sum", LpResponseCodes.cause("05"));
    }

    @Test
    void aWrongChecksumOrUnknownStartIsGarbledNotAMessage() {
        assertInstanceOf(LpMessage.Garbled.class, CHECKSUM.decode(hex("06 30 30 36 37")));
        assertInstanceOf(LpMessage.Garbled.class, PLAIN.decode(bytes("?FNOA2047")));
        assertInstanceOf(LpMessage.Garbled.class, PLAIN.decode(bytes("\u000601")));
        assertInstanceOf(LpMessage.Garbled.class, PLAIN.decode(new byte[0]));
    }

    @Test
    void aGs1ElementStringGoesWithGsAsFnc1AfterVariableLengthValuesOnly() {
        assertEquals("0109506000134352" + "10LOT7\u001D" + "21ABC",
                Gs1CodeData.encode("(01)09506000134352(10)LOT7(21)ABC"));
        assertEquals("010950600013435221ABC", Gs1CodeData.encode("(01)09506000134352(21)ABC"));
        String uri = "https://id.example.com/01/09506000134352/21/ABC";
        assertEquals(uri, Gs1CodeData.encode(uri));
    }

    @Test
    void optionsReadFromTheDialectNameAndRefuseWhatTheyDoNotKnow() {
        Dialect dialect = Dialects.byName("panasonic-lp:checksum,crlf,object=2,counter=1");
        assertEquals(new LpOptions(true, true, 2, 1), ((PanasonicLpDialect) dialect).options());
        assertEquals(LpOptions.DEFAULTS, ((PanasonicLpDialect) Dialects.byName("panasonic-lp")).options());
        assertEquals("checksum,crlf,object=2,counter=1", LpOptions.parse("checksum,crlf,object=2,counter=1").spec());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Dialects.byName("panasonic-lp:parity=even"));
        assertTrue(unknown.getMessage().contains("parity=even"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LpOptions.parse("object=8"));
        assertThrows(IllegalArgumentException.class, () -> Dialects.byName("ascii:checksum"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
