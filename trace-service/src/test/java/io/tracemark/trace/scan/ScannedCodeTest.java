package io.tracemark.trace.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.tracemark.trace.code.DigitalLink;

/** What a decoded symbol holds, read as a code of this service. */
class ScannedCodeTest {

    @Test
    void aDataMatrixOfAnIssuedCodeReadsAsThatCode() {
        assertEquals(Optional.of(new DigitalLink("09506000134352", "L-2026.1", "848XV4HC424HH684QE")),
                ScannedCode.parse("010950600013435210L-2026.1\u001d21848XV4HC424HH684QE"));
    }

    // ---- found by fuzzing (docs/fuzzing.md); each input is also in ScannedCodeFuzzTestInputs ----

    @Test
    void aSerialWithASpaceIsNoCodeOfThisServiceRatherThanAPathThatCannotBeWritten() {
        // Its path "/01/09506000134352/21/A B" is no URI: the photo scan answered 500.
        assertEquals(Optional.empty(), ScannedCode.parse("010950600013435221A B"));
        assertEquals(Optional.empty(), ScannedCode.parse("(01)09506000134352(21)A B"));
    }

    @Test
    void aSerialWithSlashesCannotSendTheBrowserToAnotherPage() {
        assertEquals(Optional.empty(), ScannedCode.parse("010950600013435221a/../../x"));
    }

    @Test
    void aStrayPercentSignIsNoCodeOfThisService() {
        assertEquals(Optional.empty(), ScannedCode.parse("010950600013435221a%zz"));
    }
}
