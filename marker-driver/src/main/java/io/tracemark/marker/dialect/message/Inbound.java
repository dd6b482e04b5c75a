package io.tracemark.marker.dialect.message;

import io.tracemark.marker.MarkReport;
import io.tracemark.marker.MarkerFault;

/**
 * One message from the marker in the Tracemark command set (docs/markers/ascii.md): an answer
 * line, which carries the tag of the command it answers, or an event, which carries none.
 */
public sealed interface Inbound {

    /** {@code >TT OK[ data]}: the command succeeded; data is empty when the command returns none. */
    record Reply(String tag, String data) implements Inbound {
    }

    /** {@code >TT ER nnn text}: the command was refused and did not take effect. */
    record Refusal(String tag, int code, String text) implements Inbound {
    }

    /** {@code >TT LG data}: one record of a multi-line answer, before its {@link Reply}. */
    record Item(String tag, String data) implements Inbound {
    }

    /** {@code !MC id OK} or {@code !MC id FAIL detail}. */
    record Completion(MarkReport report) implements Inbound {
    }

    /** {@code !FT code text}. */
    record FaultRaised(MarkerFault fault) implements Inbound {
    }

    /** {@code !BT bootid}: the marker restarted and its queue is gone. */
    record Booted(long bootId) implements Inbound {
    }

    /** A line that is none of the above: line noise, or a marker speaking another language. */
    record Garbage(String line, String why) implements Inbound {
    }
}
