package io.tracemark.trace.epcis;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tracemark.trace.access.Caller;
import io.tracemark.trace.access.CallerScope;
import io.tracemark.trace.problem.Problem;
import io.tracemark.trace.problem.ProblemException;
import io.tracemark.trace.problem.ProblemType;

/**
 * Capture: a whole EPCIS document (asynchronous in the standard, done here within the request) or
 * one event. Every event is checked against the standard's schema and Tracemark's own rules
 * before anything is stored.
 */
@ApplicationScoped
public class EpcisCapture {

    public enum ErrorBehaviour {
        ROLLBACK, PROCEED;

        public String header() {
            return name().toLowerCase();
        }
    }

    @Inject
    EpcisSchema schema;

    @Inject
    EventLedger ledger;

    @Inject
    CallerScope scope;

    /** The JSON of a request body; malformed JSON is answered with where it breaks. */
    public static JsonNode parse(byte[] body) {
        try {
            JsonNode tree = EpcisJson.MAPPER.readTree(body);
            if (tree == null || tree.isMissingNode()) {
                throw new ProblemException(ProblemType.MALFORMED_REQUEST, "The request has no body: send an EPCIS document");
            }
            return tree;
        } catch (JsonParseException e) {
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, "Malformed JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        } catch (JsonProcessingException e) {
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, "Malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, "The request body cannot be read: " + e.getMessage());
        }
    }

    /** Where a capture document keeps its events: an EPCISDocument's or an EPCISQueryDocument's event list. */
    public static String eventListPath(JsonNode document) {
        if (!document.isObject()) {
            throw ProblemException.invalid("document", "must be a JSON object: an EPCISDocument or EPCISQueryDocument");
        }
        String type = document.path("type").asText();
        return switch (type) {
            case "EPCISDocument" -> "epcisBody.eventList";
            case "EPCISQueryDocument" -> "epcisBody.queryResults.resultsBody.eventList";
            default -> throw ProblemException.invalid("type", "must be EPCISDocument or EPCISQueryDocument, not '" + type
                    + "'" + (type.endsWith("Event") ? " (POST a single event to /epcis/events)" : ""));
        };
    }

    public static ArrayNode eventList(JsonNode document, String path) {
        JsonNode node = document;
        for (String step : path.split("\\.")) {
            node = node.path(step);
        }
        return node.isArray() ? (ArrayNode) node : null;
    }

    /**
     * Captures a document. Under {@link ErrorBehaviour#ROLLBACK} one bad event rejects the document
     * with a 400 naming every bad field and nothing is stored; under {@link ErrorBehaviour#PROCEED}
     * the good events are stored and the job lists the bad ones. An event outside the caller's
     * scope ({@link CallerScope#refusals}) is refused: under rollback the document is answered with
     * a 403 naming every refused field, under proceed the job lists it with the invalid ones.
     */
    @Transactional
    public CaptureJob capture(JsonNode document, ErrorBehaviour behaviour, Caller caller) {
        String capturedBy = caller.party();
        OffsetDateTime createdAt = now();
        String path = eventListPath(document);
        List<Problem.Violation> schemaViolations = schema.validate(document);
        ArrayNode events = eventList(document, path);
        List<Problem.Violation> documentViolations = new ArrayList<>();
        Map<Integer, List<Problem.Violation>> byEvent = new TreeMap<>();
        for (Problem.Violation violation : schemaViolations) {
            Integer index = eventIndex(violation.field(), path);
            if (index == null) {
                documentViolations.add(violation);
            } else {
                byEvent.computeIfAbsent(index, i -> new ArrayList<>()).add(violation);
            }
        }
        if (!documentViolations.isEmpty() || events == null) {
            throw invalid("The document does not follow the EPCIS 2.0 schema; nothing was stored", schemaViolations);
        }

        String documentContext = document.has("@context") ? EventLedger.write(document.get("@context")) : null;
        List<EventLedger.Prepared> good = new ArrayList<>();
        Map<Integer, List<Problem.Violation>> refused = new TreeMap<>();
        Map<String, Integer> firstIndexOfId = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            if (byEvent.containsKey(i)) {
                continue;
            }
            String eventPath = path + "[" + i + "]";
            List<Problem.Violation> violations = new ArrayList<>();
            ObjectNode event = (ObjectNode) events.get(i);
            LedgerEvent row = EventIntake.prepare(event, eventPath, violations);
            String hash = hash(event, documentContext, eventPath, violations);
            if (row != null && hash != null) {
                String id = ledgerId(row, hash);
                Integer earlier = firstIndexOfId.putIfAbsent(id, i);
                if (earlier != null) {
                    violations.add(row.eventId != null
                            ? new Problem.Violation(eventPath + ".eventID", "repeats the eventID of " + path + "[" + earlier + "]")
                            : new Problem.Violation(eventPath, "is the same event as " + path + "[" + earlier
                                    + "] (same event hash, which names events sent without eventID)"));
                }
            }
            List<Problem.Violation> refusals = violations.isEmpty()
                    ? scope.refusals(caller, EventIntake.scoped(event, row, eventPath)) : List.of();
            if (!violations.isEmpty()) {
                byEvent.put(i, violations);
            } else if (!refusals.isEmpty()) {
                refused.put(i, refusals);
            } else {
                good.add(new EventLedger.Prepared(row, event, event.get("@context"), hash));
            }
        }
        Set<String> known = ledger.existing(firstIndexOfId.keySet());
        for (EventLedger.Prepared event : good) {
            String id = ledgerId(event.row(), event.eventHash());
            if (known.contains(id)) {
                int i = firstIndexOfId.get(id);
                byEvent.computeIfAbsent(i, x -> new ArrayList<>()).add(event.row().eventId != null
                        ? new Problem.Violation(path + "[" + i + "].eventID", "an event with eventID " + id + " was captured before")
                        : new Problem.Violation(path + "[" + i + "]", "the same event was captured before, as " + id));
            }
        }
        good.removeIf(event -> known.contains(ledgerId(event.row(), event.eventHash())));

        if (!refused.isEmpty() && behaviour == ErrorBehaviour.ROLLBACK) {
            throw refused(refused.size() + " of " + events.size() + " events are outside what you may capture ("
                    + indexes(refused, path) + ")" + (byEvent.isEmpty() ? "" : " and " + byEvent.size() + " are invalid ("
                    + indexes(byEvent, path) + ")") + "; under the rollback capture error behaviour nothing was stored",
                    refused.values().stream().flatMap(List::stream).toList());
        }
        if (!byEvent.isEmpty() && behaviour == ErrorBehaviour.ROLLBACK) {
            List<Problem.Violation> all = byEvent.values().stream().flatMap(List::stream).toList();
            throw invalid(byEvent.size() + " of " + events.size() + " events are invalid (" + indexes(byEvent, path)
                    + "); under the rollback capture error behaviour nothing was stored", all);
        }

        CaptureJob job = new CaptureJob();
        job.id = UUID.randomUUID().toString();
        job.createdAt = createdAt;
        job.captureErrorBehaviour = behaviour.header();
        job.eventCount = events.size();
        job.storedCount = good.size();
        job.capturedBy = capturedBy;
        job.success = byEvent.isEmpty() && refused.isEmpty();
        job.errors = errors(byEvent, refused, path);
        ledger.append(good, documentContext, job.id, capturedBy);
        job.finishedAt = now();
        job.persist();
        return job;
    }

    /**
     * Captures one event; answers 403 when it is outside the caller's scope, 409 when its eventID
     * is in the ledger already.
     */
    @Transactional
    public LedgerEvent captureEvent(JsonNode event, Caller caller) {
        String capturedBy = caller.party();
        if (!event.isObject()) {
            throw ProblemException.invalid("event", "must be a JSON object: one EPCIS event");
        }
        String type = event.path("type").asText();
        if (type.equals("EPCISDocument") || type.equals("EPCISQueryDocument")) {
            throw ProblemException.invalid("type", "is " + type + ": POST documents to /epcis/capture, single events here");
        }
        List<Problem.Violation> violations = new ArrayList<>(schema.validate(event));
        if (!violations.isEmpty()) {
            throw invalid("The event does not follow the EPCIS 2.0 schema; nothing was stored", violations);
        }
        String documentContext = event.has("@context") ? EventLedger.write(event.get("@context")) : null;
        ObjectNode bare = ((ObjectNode) event).deepCopy();
        bare.remove("@context");
        LedgerEvent row = EventIntake.prepare((ObjectNode) event, "event", violations);
        String hash = hash(bare, documentContext, "event", violations);
        if (row == null || hash == null) {
            throw invalid("The event is invalid; nothing was stored", violations);
        }
        // Scope before the duplicate check, so that a refused caller learns nothing of the ledger's eventIDs.
        List<Problem.Violation> refusals = scope.refusals(caller, EventIntake.scoped((ObjectNode) event, row, "event"));
        if (!refusals.isEmpty()) {
            throw refused("The event is outside what you may capture; nothing was stored", refusals);
        }
        String id = ledgerId(row, hash);
        if (!ledger.existing(List.of(id)).isEmpty()) {
            throw ProblemException.conflict(row.eventId != null ? "An event with eventID " + id + " was captured before"
                    : "The same event was captured before, as " + id + " (its event hash, which names events sent without eventID)");
        }
        ledger.append(List.of(new EventLedger.Prepared(row, bare, null, hash)), documentContext, null, capturedBy);
        return row;
    }

    /** The event's hash, or null with the reason added when it cannot be hashed. */
    private static String hash(ObjectNode event, String documentContext, String path, List<Problem.Violation> violations) {
        try {
            return EventLedger.eventHash(event, documentContext);
        } catch (IllegalArgumentException e) {
            violations.add(new Problem.Violation(path, "cannot be given its EPCIS event hash: " + e.getMessage()));
            return null;
        }
    }

    /** The eventID the event will have in the ledger: its own, or else its event hash. */
    private static String ledgerId(LedgerEvent row, String eventHash) {
        return row.eventId != null ? row.eventId : eventHash;
    }

    /** The job's problems in event order: invalid events as validation failures, refused ones as forbidden. */
    private static String errors(Map<Integer, List<Problem.Violation>> byEvent,
            Map<Integer, List<Problem.Violation>> refused, String path) {
        TreeMap<Integer, Problem> problems = new TreeMap<>();
        byEvent.forEach((index, violations) -> problems.put(index, problem(ProblemType.VALIDATION_FAILED, path, index,
                violations)));
        refused.forEach((index, violations) -> problems.put(index, problem(ProblemType.FORBIDDEN, path, index,
                violations)));
        return EventLedger.write(EpcisJson.MAPPER.valueToTree(new ArrayList<>(problems.values())));
    }

    private static Problem problem(ProblemType type, String path, int index, List<Problem.Violation> violations) {
        return new Problem(type.uri(), type.title(), type.status(), path + "[" + index + "] was not stored: "
                + summary(violations), null, violations);
    }

    private static String indexes(Map<Integer, List<Problem.Violation>> byEvent, String path) {
        return byEvent.keySet().stream().map(i -> path + "[" + i + "]").collect(Collectors.joining(", "));
    }

    private static ProblemException invalid(String detail, List<Problem.Violation> violations) {
        return new ProblemException(ProblemType.VALIDATION_FAILED, detail + ". " + summary(violations), violations);
    }

    private static ProblemException refused(String detail, List<Problem.Violation> violations) {
        return new ProblemException(ProblemType.FORBIDDEN, detail + ". " + summary(violations), violations);
    }

    private static String summary(List<Problem.Violation> violations) {
        Map<String, String> first = new LinkedHashMap<>();
        violations.forEach(v -> first.putIfAbsent(v.field(), v.message()));
        return first.entrySet().stream().limit(5).map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining("; ")) + (first.size() > 5 ? "; ..." : "");
    }

    private static Integer eventIndex(String field, String path) {
        if (!field.startsWith(path + "[")) {
            return null;
        }
        int end = field.indexOf(']', path.length());
        return Integer.valueOf(field.substring(path.length() + 1, end));
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    }
}
