package io.tracemark.marker.dialect.mqtt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tracemark.marker.MarkOrder;
import io.tracemark.marker.MarkReport;
import io.tracemark.marker.MarkerFault;
import io.tracemark.marker.MarkerStatus;
import io.tracemark.marker.transport.Packet;

/**
 * The JSON of docs/markers/mqtt.md, both ways. Writes exactly what the document shows; reads
 * strictly where a mistake could mislabel a mark (types, required members, duplicate members,
 * trailing bytes) and leniently elsewhere (unknown members and unknown events are ignored, so
 * newer firmware does not break older drivers).
 */
final class MqttCodec {

    static final String CMD = "cmd";
    static final String REPLY = "reply";
    static final String EVENT = "event";
    static final String STATE = "state";

    private static final int EXCERPT = 120;
    /** A msgId is printable ASCII (docs §1.3): one with a damaged byte inside no longer matches. */
    private static final Pattern MSG_ID = Pattern.compile("\"msgId\"\\s*:\\s*\"([\\x21\\x23-\\x5b\\x5d-\\x7e]{1,64})\"");

    private final ObjectMapper json = new ObjectMapper(
            JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    // ---- commands -------------------------------------------------------------------------

    byte[] status(String msgId, String job) {
        return bytes(command(msgId, "status", job));
    }

    byte[] selectJob(String msgId, String job) {
        return bytes(command(msgId, "selectJob", job));
    }

    byte[] enqueue(String msgId, String job, MarkOrder order) {
        return bytes(command(msgId, "enqueue", job).put("id", order.id()).put("content", order.content()));
    }

    byte[] clearQueue(String msgId, String job) {
        return bytes(command(msgId, "clearQueue", job));
    }

    byte[] log(String msgId, String job, int max) {
        return bytes(command(msgId, "log", job).put("max", max));
    }

    private ObjectNode command(String msgId, String name, String job) {
        ObjectNode command = json.createObjectNode();
        command.put("msgId", msgId);
        command.put("cmd", name);
        command.put("job", job);
        return command;
    }

    private byte[] bytes(ObjectNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("A JSON tree could not be written", e);
        }
    }

    // ---- inbound ---------------------------------------------------------------------------

    Inbound read(Packet packet) throws UnreadableMessage {
        String topic = packet.topic();
        if (!REPLY.equals(topic) && !EVENT.equals(topic) && !STATE.equals(topic)) {
            throw new UnreadableMessage("message on a topic this dialect does not use: '" + topic + "'", null);
        }
        JsonNode message = parse(topic, packet.payload());
        if (STATE.equals(topic)) {
            return state(message, packet.retained());
        }
        String msgId = requireMsgId(optionalText(message, "msgId", topic), topic);
        try {
            return REPLY.equals(topic) ? reply(message, msgId) : event(message, msgId);
        } catch (UnreadableMessage e) {
            // Whatever else is wrong with it, the message said whose answer it is.
            throw e.msgId() != null ? e : new UnreadableMessage(e.getMessage(), msgId, e.getCause());
        }
    }

    private JsonNode parse(String topic, byte[] payload) throws UnreadableMessage {
        try {
            JsonNode node = json.readTree(payload);
            if (node == null || !node.isObject()) {
                throw new UnreadableMessage("message on " + topic + " is not a JSON object: " + excerpt(payload),
                        salvageMsgId(payload));
            }
            return node;
        } catch (IOException e) {
            throw new UnreadableMessage("message on " + topic + " is not valid JSON (" + firstLine(e) + "): "
                    + excerpt(payload), salvageMsgId(payload), e);
        }
    }

    private static Inbound.Reply reply(JsonNode message, String msgId) throws UnreadableMessage {
        boolean ok = requiredBoolean(message, "ok", REPLY, msgId);
        String code = null;
        String text = null;
        if (!ok) {
            JsonNode error = message.get("error");
            if (error == null || !error.isObject()) {
                throw new UnreadableMessage("error reply " + msgId + " has no error object", msgId);
            }
            code = requiredText(error, "code", REPLY, msgId);
            text = optionalText(error, "text", REPLY);
        }
        return new Inbound.Reply(msgId, optionalText(message, "job", REPLY), ok, code, text, message);
    }

    private static Inbound event(JsonNode message, String msgId) throws UnreadableMessage {
        String name = requiredText(message, "event", EVENT, msgId);
        String job = optionalText(message, "job", EVENT);
        switch (name) {
            case "mark" -> {
                String id = requiredText(message, "id", EVENT, msgId);
                String result = requiredText(message, "result", EVENT, msgId);
                String detail = optionalText(message, "detail", EVENT);
                boolean marked = switch (result) {
                    case "marked" -> true;
                    case "failed" -> false;
                    default -> throw new UnreadableMessage("mark event " + msgId + " for " + id
                            + " has result '" + result + "', not marked or failed", msgId);
                };
                return new Inbound.Mark(msgId, job, new MarkReport(id, marked, detail));
            }
            case "fault" -> {
                String code = requiredText(message, "code", EVENT, msgId);
                return new Inbound.Fault(msgId, job, new MarkerFault(code, optionalText(message, "text", EVENT)));
            }
            default -> {
                return new Inbound.OtherEvent(name);
            }
        }
    }

    private static Inbound.State state(JsonNode message, boolean retained) throws UnreadableMessage {
        boolean online = requiredBoolean(message, "online", STATE, null);
        JsonNode ready = message.get("ready");
        if (ready != null && !ready.isNull() && !ready.isBoolean()) {
            throw new UnreadableMessage("state member 'ready' must be true or false", null);
        }
        return new Inbound.State(online, ready == null || ready.isNull() ? null : ready.booleanValue(),
                optionalText(message, "job", STATE), optionalLong(message, "bootId", STATE),
                optionalInt(message, "queue", STATE), retained);
    }

    // ---- reply results ---------------------------------------------------------------------

    MarkerStatus status(Inbound.Reply reply) throws UnreadableMessage {
        JsonNode result = reply.result();
        String msgId = reply.msgId();
        boolean ready = requiredBoolean(result, "ready", REPLY, msgId);
        JsonNode queued = result.get("queued");
        if (queued == null || !queued.isArray()) {
            throw new UnreadableMessage("status reply " + msgId + " has no 'queued' array", msgId);
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode id : queued) {
            if (!id.isTextual()) {
                throw new UnreadableMessage("status reply " + msgId + " lists a queued id that is not a string", msgId);
            }
            ids.add(id.textValue());
        }
        Integer capacity = optionalInt(result, "capacity", REPLY);
        Long bootId = optionalLong(result, "bootId", REPLY);
        if (capacity == null || bootId == null) {
            throw new UnreadableMessage("status reply " + msgId + " lacks 'capacity' or 'bootId'", msgId);
        }
        return new MarkerStatus(ready, optionalText(result, "job", REPLY), ids, capacity, bootId,
                optionalText(result, "fault", REPLY));
    }

    List<MarkReport> log(Inbound.Reply reply) throws UnreadableMessage {
        JsonNode marks = reply.result().get("marks");
        String msgId = reply.msgId();
        if (marks == null || !marks.isArray()) {
            throw new UnreadableMessage("log reply " + msgId + " has no 'marks' array", msgId);
        }
        List<MarkReport> log = new ArrayList<>();
        for (JsonNode mark : marks) {
            if (!mark.isObject()) {
                throw new UnreadableMessage("log reply " + msgId + " lists a mark that is not an object", msgId);
            }
            log.add(new MarkReport(requiredText(mark, "id", REPLY, msgId), requiredBoolean(mark, "marked", REPLY, msgId),
                    optionalText(mark, "detail", REPLY)));
        }
        return List.copyOf(log);
    }

    // ---- members ---------------------------------------------------------------------------

    private static String requireMsgId(String msgId, String topic) throws UnreadableMessage {
        if (msgId == null || msgId.isEmpty()) {
            throw new UnreadableMessage("message on " + topic + " has no msgId", null);
        }
        return msgId;
    }

    private static String requiredText(JsonNode node, String name, String topic, String msgId)
            throws UnreadableMessage {
        String value = optionalText(node, name, topic);
        if (value == null) {
            throw new UnreadableMessage("message " + msgId + " on " + topic + " lacks '" + name + "'", msgId);
        }
        return value;
    }

    private static String optionalText(JsonNode node, String name, String topic) throws UnreadableMessage {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new UnreadableMessage("member '" + name + "' of a message on " + topic + " must be a string",
                    null);
        }
        return value.textValue();
    }

    private static boolean requiredBoolean(JsonNode node, String name, String topic, String msgId)
            throws UnreadableMessage {
        JsonNode value = node.get(name);
        if (value == null || !value.isBoolean()) {
            throw new UnreadableMessage("member '" + name + "' of message " + msgId + " on " + topic
                    + " must be true or false", msgId);
        }
        return value.booleanValue();
    }

    private static Long optionalLong(JsonNode node, String name, String topic) throws UnreadableMessage {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new UnreadableMessage("member '" + name + "' of a message on " + topic + " must be an integer",
                    null);
        }
        return value.longValue();
    }

    private static Integer optionalInt(JsonNode node, String name, String topic) throws UnreadableMessage {
        Long value = optionalLong(node, name, topic);
        if (value != null && (value < 0 || value > Integer.MAX_VALUE)) {
            throw new UnreadableMessage("member '" + name + "' of a message on " + topic + " is out of range: "
                    + value, null);
        }
        return value == null ? null : value.intValue();
    }

    // ---- damage reports --------------------------------------------------------------------

    /**
     * The msgId a damaged message still shows intact, if any. Read as ISO-8859-1 so that every
     * byte stays one character and a damaged byte inside the id stops the match.
     */
    private static String salvageMsgId(byte[] payload) {
        Matcher match = MSG_ID.matcher(new String(payload, StandardCharsets.ISO_8859_1));
        return match.find() ? match.group(1) : null;
    }

    /** The first bytes of a payload, printable, for a log line or an alarm text. */
    static String excerpt(byte[] payload) {
        StringBuilder text = new StringBuilder();
        int shown = Math.min(payload.length, EXCERPT);
        for (int i = 0; i < shown; i++) {
            int b = payload[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '\\') {
                text.append((char) b);
            } else {
                text.append(String.format("\\x%02x", b));
            }
        }
        if (payload.length > shown) {
            text.append("... (").append(payload.length).append(" bytes)");
        }
        return text.toString();
    }

    private static String firstLine(IOException e) {
        String message = String.valueOf(e instanceof JsonProcessingException parseError ? parseError.getOriginalMessage()
                : e.getMessage());
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
