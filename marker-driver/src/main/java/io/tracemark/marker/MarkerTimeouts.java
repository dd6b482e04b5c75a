package io.tracemark.marker;

import java.time.Duration;

/**
 * Every wait the driver makes, named. Dialects use the ones that apply to them.
 *
 * @param reply          longest wait for the answer to a command
 * @param retransmit     framed dialect: wait for ACK/NAK before sending a frame again
 * @param maxTransmissions framed dialect: sends of one frame before the link is declared down
 * @param clear          longest wait for a queue clear, which includes finishing the mark in progress
 * @param heartbeat      how often an idle link is probed with a status query
 * @param reconnectMin   first wait before reopening a lost link; doubles up to {@code reconnectMax}
 * @param reconnectMax   longest wait between attempts to reopen a lost link
 */
public record MarkerTimeouts(Duration reply, Duration retransmit, int maxTransmissions, Duration clear,
        Duration heartbeat, Duration reconnectMin, Duration reconnectMax) {

    public static MarkerTimeouts defaults() {
        return new MarkerTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300), 3, Duration.ofSeconds(5),
                Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofSeconds(5));
    }

    public MarkerTimeouts {
        if (maxTransmissions < 1) {
            throw new IllegalArgumentException("maxTransmissions must be at least 1");
        }
    }
}
