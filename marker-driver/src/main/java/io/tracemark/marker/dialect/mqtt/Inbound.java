package io.tracemark.marker.dialect.mqtt;

import com.fasterxml.jackson.databind.JsonNode;

import io.tracemark.marker.MarkReport;
import io.tracemark.marker.MarkerFault;

/** A message from the marker, read but not yet acted on. */
sealed interface Inbound {

    /**
     * The answer to the command {@code msgId}. {@code result} is the whole message; what it holds
     * besides the envelope depends on the command, and is read by the one that waits for it.
     */
    record Reply(String msgId, String job, boolean ok, String errorCode, String errorText, JsonNode result)
            implements Inbound {
    }

    /** A mark finished. Delivered at least once: the same {@code msgId} may come twice. */
    record Mark(String msgId, String job, MarkReport report) implements Inbound {
    }

    /** The marker raised an alarm. */
    record Fault(String msgId, String job, MarkerFault fault) implements Inbound {
    }

    /**
     * The marker's state as published on {@code state}; {@code retained} when the broker handed
     * it over on subscription rather than as it happened. Absent members are null.
     */
    record State(boolean online, Boolean ready, String job, Long bootId, Integer queue, boolean retained)
            implements Inbound {
    }

    /** An event of a kind this driver does not know: newer firmware; it is ignored. */
    record OtherEvent(String name) implements Inbound {
    }
}
