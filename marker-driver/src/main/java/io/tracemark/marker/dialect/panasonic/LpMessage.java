package io.tracemark.marker.dialect.panasonic;

/**
 * One message of the Panasonic LP command protocol without start code, checksum and end code
 * (ME-LP-GS-SR-COMP-3, 2-3, pp.31-35). Text is ISO 8859-1 so that each character is one byte.
 */
public sealed interface LpMessage {

    /** Setting request ("S"), readout request ("R") or response data for readout ("A"), after STX. */
    record Command(String command, char sub, String data) implements LpMessage {
        public Command {
            if (command == null || !command.matches("[A-Z]{3}")) {
                throw new IllegalArgumentException("A command is three capital letters, not '" + command + "'");
            }
            if (sub != 'S' && sub != 'R' && sub != 'A') {
                throw new IllegalArgumentException("A sub command is S, R or A, not '" + sub + "'");
            }
        }
    }

    /** Positive response: [ACK] "00". */
    record Ack() implements LpMessage {
    }

    /** Negative response: [NAK] and the two-digit response code naming the error cause. */
    record Nak(String code) implements LpMessage {
    }

    /** Bytes that are none of the above, or whose checksum is wrong. */
    record Garbled(String bytes, String why) implements LpMessage {
    }
}
