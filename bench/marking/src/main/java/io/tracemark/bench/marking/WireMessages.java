package io.tracemark.bench.marking;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The recorded wire cut back into the messages of docs/markers/*.md, after the run: which packet
 * carried which code's ENQ, which answer, which completion. Only what the measurements need is
 * recognised; the rest is kept as {@link Kind#OTHER}, still counted as bytes.
 */
final class WireMessages {

    enum Kind {
        /** Driver: queue one order ({@code id}); answered under {@code key}. */
        ENQUEUE,
        /** Marker: the final answer to the command sent under {@code key}. */
        ANSWER,
        /** Marker: order {@code id} finished. */
        COMPLETION,
        OTHER
    }

    /**
     * One message, timed by the packet that completed it.
     *
     * @param key   the tag (serial dialects) or msgId (mqtt) that pairs a command with its answer
     * @param topic the MQTT topic, null on a serial link
     * @param bytes the message's own bytes on the link: with its CR, its frame, or the MQTT payload
     */
    record Message(long nanos, WireTap.Direction direction, Kind kind, String key, String id, String topic,
            int bytes) {
    }

    private static final byte CR = 0x0D;
    private static final byte LF = 0x0A;
    private static final byte STX = 0x02;
    private static final byte ETX = 0x03;
    private static final Pattern ENQ = Pattern.compile("([0-9A-F]{2}) ENQ ([0-9A-Za-z]+) .*");
    private static final Pattern FINAL_ANSWER = Pattern.compile(">([0-9A-F]{2}) (OK|ER)\\b.*");
    private static final Pattern COMPLETION = Pattern.compile("!MC ([0-9A-Za-z]+) .*");
    private static final ObjectMapper JSON = new ObjectMapper();

    private WireMessages() {
    }

    static List<Message> decode(String dialect, List<WireTap.Event> events) {
        List<WireTap.Event> ordered = new ArrayList<>(events);
        ordered.sort(Comparator.comparingLong(WireTap.Event::nanos));
        List<Message> messages = new ArrayList<>();
        switch (dialect) {
            case "ascii" -> {
                messages.addAll(lines(ordered, WireTap.Direction.OUT));
                messages.addAll(lines(ordered, WireTap.Direction.IN));
            }
            case "framed" -> {
                messages.addAll(frames(ordered, WireTap.Direction.OUT));
                messages.addAll(frames(ordered, WireTap.Direction.IN));
            }
            case "mqtt" -> ordered.forEach(event -> messages.add(json(event)));
            default -> throw new IllegalArgumentException("No decoder for dialect " + dialect);
        }
        messages.sort(Comparator.comparingLong(Message::nanos));
        return messages;
    }

    /** ascii: CR-terminated lines, each timed by the chunk that brought its CR. */
    private static List<Message> lines(List<WireTap.Event> events, WireTap.Direction direction) {
        List<Message> out = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (WireTap.Event event : events) {
            if (event.direction() != direction) {
                continue;
            }
            for (byte b : event.payload()) {
                if (b == CR) {
                    out.add(command(event.nanos(), direction, line.toString(StandardCharsets.ISO_8859_1), null,
                            line.size() + 1));
                    line.reset();
                } else if (b != LF) {
                    line.write(b);
                }
            }
        }
        return out;
    }

    /** framed: STX … ETX; a data frame's payload is an ascii line without its CR, controls are OTHER. */
    private static List<Message> frames(List<WireTap.Event> events, WireTap.Direction direction) {
        List<Message> out = new ArrayList<>();
        ByteArrayOutputStream body = null;
        for (WireTap.Event event : events) {
            if (event.direction() != direction) {
                continue;
            }
            for (byte b : event.payload()) {
                if (b == STX) {
                    body = new ByteArrayOutputStream();
                } else if (b == ETX && body != null) {
                    String frame = body.toString(StandardCharsets.ISO_8859_1);
                    body = null;
                    boolean data = frame.length() >= 7 && frame.charAt(2) == 'D';
                    int size = frame.length() + 2;
                    out.add(data ? command(event.nanos(), direction, frame.substring(3, frame.length() - 4), null, size)
                            : new Message(event.nanos(), direction, Kind.OTHER, null, null, null, size));
                } else if (body != null) {
                    body.write(b);
                }
            }
        }
        return out;
    }

    private static Message command(long nanos, WireTap.Direction direction, String text, String topic, int bytes) {
        Matcher m;
        if (direction == WireTap.Direction.OUT && (m = ENQ.matcher(text)).matches()) {
            return new Message(nanos, direction, Kind.ENQUEUE, m.group(1), m.group(2), topic, bytes);
        }
        if (direction == WireTap.Direction.IN && (m = FINAL_ANSWER.matcher(text)).matches()) {
            return new Message(nanos, direction, Kind.ANSWER, m.group(1), null, topic, bytes);
        }
        if (direction == WireTap.Direction.IN && (m = COMPLETION.matcher(text)).matches()) {
            return new Message(nanos, direction, Kind.COMPLETION, null, m.group(1), topic, bytes);
        }
        return new Message(nanos, direction, Kind.OTHER, null, null, topic, bytes);
    }

    /** mqtt: one packet is one JSON message, named by its topic. */
    private static Message json(WireTap.Event event) {
        String topic = event.topic();
        int bytes = event.payload().length;
        JsonNode node;
        try {
            node = event.payload().length == 0 ? null : JSON.readTree(event.payload());
        } catch (IOException e) {
            node = null;
        }
        if (node == null) {
            return new Message(event.nanos(), event.direction(), Kind.OTHER, null, null, topic, bytes);
        }
        String msgId = node.path("msgId").asText(null);
        if (event.direction() == WireTap.Direction.OUT && "cmd".equals(topic)
                && "enqueue".equals(node.path("cmd").asText())) {
            return new Message(event.nanos(), event.direction(), Kind.ENQUEUE, msgId, node.path("id").asText(null),
                    topic, bytes);
        }
        if (event.direction() == WireTap.Direction.IN && "reply".equals(topic)) {
            return new Message(event.nanos(), event.direction(), Kind.ANSWER, msgId, null, topic, bytes);
        }
        if (event.direction() == WireTap.Direction.IN && "event".equals(topic)
                && "mark".equals(node.path("event").asText())) {
            return new Message(event.nanos(), event.direction(), Kind.COMPLETION, null, node.path("id").asText(null),
                    topic, bytes);
        }
        return new Message(event.nanos(), event.direction(), Kind.OTHER, null, null, topic, bytes);
    }
}
