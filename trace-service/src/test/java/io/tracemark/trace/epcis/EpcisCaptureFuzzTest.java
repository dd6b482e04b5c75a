package io.tracemark.trace.epcis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tracemark.trace.gs1.EpcIdentifier;
import io.tracemark.trace.problem.Problem;
import io.tracemark.trace.problem.ProblemException;
import io.tracemark.trace.problem.ProblemType;

/**
 * The capture interface's checks, everything {@code POST /epcis/capture} and {@code POST /epcis/events}
 * do before the ledger is touched, as plain Java over any request body (docs/fuzzing.md): the JSON,
 * the document's shape, the standard's schema, Tracemark's own rules and the event hash.
 */
class EpcisCaptureFuzzTest {

    private static final EpcisSchema SCHEMA = new EpcisSchema();
    private static final Set<ProblemType> BAD_REQUEST = Set.of(ProblemType.MALFORMED_REQUEST, ProblemType.VALIDATION_FAILED);

    /**
     * Any body is turned into ledger rows or answered with a 400 problem that names the field and
     * the reason: never another exception. Each event the schema lets through is a JSON object,
     * and Tracemark's own checks and the event hash accept it or say why not.
     */
    @FuzzTest
    void anyBodyBecomesLedgerRowsOrABadRequestProblem(byte[] body) {
        JsonNode document;
        String path;
        try {
            document = EpcisCapture.parse(body);
            path = EpcisCapture.eventListPath(document);
        } catch (ProblemException e) {
            assertBadRequest(e);
            return;
        }
        List<Problem.Violation> violations = SCHEMA.validate(document);
        Set<Integer> refused = new TreeSet<>();
        boolean documentRefused = false;
        for (Problem.Violation violation : violations) {
            assertNamed(violation);
            if (violation.field().startsWith(path + "[")) {
                String index = violation.field().substring(path.length() + 1);
                assertTrue(index.matches("\\d+\\].*"), "the event of " + violation.field() + " is numbered");
                refused.add(Integer.valueOf(index.substring(0, index.indexOf(']'))));
            } else {
                documentRefused = true;
            }
        }
        ArrayNode events = EpcisCapture.eventList(document, path);
        if (documentRefused || events == null) {
            assertFalse(violations.isEmpty(), "a document without an event list breaks the schema");
            return;
        }
        String context = document.has("@context") ? EventLedger.write(document.get("@context")) : null;
        for (int i = 0; i < events.size(); i++) {
            if (!refused.contains(i)) {
                ObjectNode event = assertInstanceOf(ObjectNode.class, events.get(i), "the schema lets only objects through");
                checkEvent(event, path + "[" + i + "]", context);
            }
        }
    }

    /** The same for one event posted on its own: a ledger row and a hash, or named violations. */
    @FuzzTest
    void anySingleEventBecomesALedgerRowOrABadRequestProblem(byte[] body) {
        JsonNode event;
        try {
            event = EpcisCapture.parse(body);
        } catch (ProblemException e) {
            assertBadRequest(e);
            return;
        }
        List<Problem.Violation> violations = SCHEMA.validate(event);
        violations.forEach(EpcisCaptureFuzzTest::assertNamed);
        if (violations.isEmpty() && event.isObject()) {
            checkEvent((ObjectNode) event, "event", null);
        }
    }

    private static void checkEvent(ObjectNode event, String path, String documentContext) {
        List<Problem.Violation> violations = new ArrayList<>();
        LedgerEvent row = EventIntake.prepare(event, path, violations);
        violations.forEach(EpcisCaptureFuzzTest::assertNamed);
        if (row == null) {
            assertFalse(violations.isEmpty(), "a refused event says why");
        } else {
            assertTrue(violations.isEmpty());
            assertNotNull(row.eventTime);
            row.epcs.forEach(epc -> assertEquals(epc.epc, EpcIdentifier.parse(epc.epc).canonical()));
        }
        try {
            String hash = EventLedger.eventHash(event, documentContext);
            assertTrue(hash.matches("ni:///sha-256;[0-9a-f]{64}\\?ver=CBV2\\.0"), hash);
        } catch (IllegalArgumentException e) {
            assertFalse(e.getMessage().isBlank(), "an event without a hash says why");
        }
    }

    private static void assertBadRequest(ProblemException e) {
        assertTrue(BAD_REQUEST.contains(e.type()), e.type() + ": " + e.getMessage());
        assertTrue(e.type().status() == 400, e.type().toString());
        assertFalse(e.getMessage().isBlank());
    }

    private static void assertNamed(Problem.Violation violation) {
        assertFalse(violation.field() == null || violation.field().isBlank(), violation.toString());
        assertFalse(violation.message() == null || violation.message().isBlank(), violation.toString());
    }
}
