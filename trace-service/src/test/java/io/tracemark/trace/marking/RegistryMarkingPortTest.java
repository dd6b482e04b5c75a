package io.tracemark.trace.marking;

import static io.tracemark.trace.Api.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.marker.MarkOrder;
import io.tracemark.marker.pipeline.MarkingRegistry.Unsettled;
import io.tracemark.marker.verify.Grade;
import io.tracemark.trace.Api;
import io.tracemark.trace.code.CodeAllocator;
import io.tracemark.trace.code.CodeRegistry;
import io.tracemark.trace.code.SerialKeys;

/** The registry as a marking pipeline sees it, on the real database. */
@QuarkusTest
class RegistryMarkingPortTest {

    @Inject
    EntityManager em;
    @Inject
    SerialKeys keys;
    @Inject
    CodeRegistry registry;
    @Inject
    CodeAllocator allocator;

    /** A batch with {@code codes} codes already allocated. */
    private static long batchWith(int codes) {
        long batch = Api.batch();
        asAdmin().body(Map.of("count", codes)).post("/api/batches/" + batch + "/codes").then().statusCode(201);
        return batch;
    }

    /** A run of the batch as the run service records one, without a pipeline behind it. */
    private static long run(long batchId, long target) {
        return RecordedRuns.running(batchId, Api.lineOfBatch(batchId), target);
    }

    private RegistryMarkingPort port(long runId) {
        return new RegistryMarkingPort(runId, em, keys, registry, allocator);
    }

    private static List<Map<String, Object>> codesOf(long batch) {
        return asAdmin().get("/api/batches/" + batch + "/codes?size=500").then().statusCode(200).extract()
                .jsonPath().getList("items");
    }

    private static String stateOf(String serial) {
        return asAdmin().get("/api/codes/" + serial).then().statusCode(200).extract().jsonPath().getString("state");
    }

    private static List<String> ids(List<MarkOrder> orders) {
        return orders.stream().map(MarkOrder::id).toList();
    }

    @Test
    void claimsTheBatchsFreshCodesInCounterOrderAndRecordsThemAsSentByTheRun() {
        long batch = batchWith(10);
        long runId = run(batch, 10);
        RegistryMarkingPort port = port(runId);
        List<Map<String, Object>> codes = codesOf(batch);

        List<MarkOrder> first = port.claim(4);
        List<MarkOrder> second = port.claim(3);

        assertEquals(codes.subList(0, 4).stream().map(c -> c.get("serial")).toList(), ids(first));
        assertEquals(codes.subList(4, 7).stream().map(c -> c.get("serial")).toList(), ids(second));
        assertEquals(codes.get(0).get("uri"), first.get(0).content(), "the marker etches the Digital Link URI");
        asAdmin().get("/api/codes/" + first.get(0).id()).then().statusCode(200)
                .body("state", equalTo("SENT")).body("runId", equalTo((int) runId));
        assertEquals("ALLOCATED", stateOf((String) codes.get(7).get("serial")));
        assertEquals(new RegistryMarkingPort.Counts(7, 0, 0, 0), QuarkusTransaction.requiringNew().call(port::counts));
    }

    @Test
    void marksVerifiesAndVoidsOnlyAlongTheCodeLifecycle() {
        long batch = batchWith(5);
        RegistryMarkingPort port = port(run(batch, 5));
        List<MarkOrder> orders = port.claim(3);
        String a = orders.get(0).id();
        String b = orders.get(1).id();
        String c = orders.get(2).id();

        assertThrows(IllegalStateException.class, () -> port.verified(a, Grade.A), "a SENT code was never marked");
        port.marked(a);
        port.verified(a, Grade.B);
        port.voided(b, "mark failed: laser interlock open");
        assertThrows(IllegalStateException.class, () -> port.marked(b), "a voided code stays voided");
        port.marked(c);

        asAdmin().get("/api/codes/" + a).then().body("state", equalTo("VERIFIED")).body("grade", equalTo("B"));
        asAdmin().get("/api/codes/" + b).then().body("state", equalTo("VOIDED"))
                .body("voidReason", equalTo("mark failed: laser interlock open"));
        assertEquals("MARKED", stateOf(c));
        assertEquals(new RegistryMarkingPort.Counts(3, 2, 1, 1), QuarkusTransaction.requiringNew().call(port::counts));
    }

    @Test
    void aDuplicatedAcknowledgementChangesNothing() {
        long batch = batchWith(2);
        RegistryMarkingPort port = port(run(batch, 2));
        String serial = port.claim(1).get(0).id();

        port.marked(serial);
        port.marked(serial);
        port.verified(serial, Grade.A);
        port.marked(serial);
        port.verified(serial, Grade.A);

        assertEquals("VERIFIED", stateOf(serial));
        assertEquals(new RegistryMarkingPort.Counts(1, 1, 1, 0), QuarkusTransaction.requiringNew().call(port::counts));
    }

    @Test
    void refusesCodesItDidNotSend() {
        long batch = batchWith(4);
        RegistryMarkingPort mine = port(run(batch, 2));
        RegistryMarkingPort other = port(run(batch, 2));
        String theirs = other.claim(1).get(0).id();
        String fresh = (String) codesOf(batch).get(3).get("serial");
        String forged = theirs.substring(0, 17) + (theirs.charAt(17) == 'A' ? 'B' : 'A');

        assertThrows(IllegalStateException.class, () -> mine.marked(theirs));
        assertThrows(IllegalStateException.class, () -> mine.voided(fresh, "never sent"));
        assertThrows(IllegalArgumentException.class, () -> mine.marked(forged));
        assertEquals("SENT", stateOf(theirs));
        assertEquals("ALLOCATED", stateOf(fresh));
    }

    @Test
    void reportsTheSentAndMarkedCodesAsUnsettled() {
        long batch = batchWith(6);
        RegistryMarkingPort port = port(run(batch, 6));
        List<MarkOrder> orders = port.claim(5);
        port.marked(orders.get(1).id());
        port.marked(orders.get(2).id());
        port.verified(orders.get(2).id(), Grade.A);
        port.voided(orders.get(3).id(), "lost");

        List<Unsettled> unsettled = port.unsettled();

        assertEquals(List.of(new Unsettled(orders.get(0), false), new Unsettled(orders.get(1), true),
                new Unsettled(orders.get(4), false)), unsettled);
        assertTrue(port(run(batch, 1)).unsettled().isEmpty(), "a run that claimed nothing has nothing to settle");
    }

    @Test
    void neverHandsOutAVoidedCodeAgain() {
        long batch = batchWith(6);
        long firstRun = run(batch, 3);
        RegistryMarkingPort port = port(firstRun);
        List<MarkOrder> voided = port.claim(3);
        voided.forEach(order -> port.voided(order.id(), "run stopped"));
        List<MarkOrder> again = port.claim(2);
        QuarkusTransaction.requiringNew().run(() -> MarkingRun.update(
                "state = ?1, activeLineId = null where id = ?2", RunState.STOPPED, firstRun));
        MarkingRun previous = QuarkusTransaction.requiringNew().call(() -> MarkingRun.<MarkingRun>findById(firstRun));
        long secondRun = RecordedRuns.running(batch, previous.lineId, 3,
                next -> next.claimCursor = previous.claimCursor);
        List<MarkOrder> later = port(secondRun).claim(5);

        Set<String> seen = new HashSet<>(ids(voided));
        for (MarkOrder order : again) {
            assertTrue(seen.add(order.id()), order.id() + " was handed out twice");
        }
        for (MarkOrder order : later) {
            assertTrue(seen.add(order.id()), order.id() + " was handed out twice");
        }
        assertEquals(2, again.size());
        assertEquals(5, later.size(), "the second run allocated what the batch lacked");
        voided.forEach(order -> assertEquals("VOIDED", stateOf(order.id())));
    }

    @Test
    void allocatesMoreCodesWhenTheBatchRunsOut() {
        long batch = batchWith(2);
        long runId = run(batch, 30);
        RegistryMarkingPort port = port(runId);

        List<MarkOrder> orders = port.claim(8);

        assertEquals(8, orders.size());
        assertEquals(8, new HashSet<>(ids(orders)).size());
        List<Map<String, Object>> codes = codesOf(batch);
        assertEquals(2 + 30, codes.size(), "enough for the rest of the run, allocated to the batch");
        assertEquals(codes.subList(0, 8).stream().map(c -> c.get("serial")).toList(), ids(orders));
        asAdmin().get("/api/batches/" + batch).then().body("codesAllocated", equalTo(32));
        assertFalse(port.claim(1).isEmpty());
    }

    @Test
    void eachVerifiedMarkCountsInItsGradeAndKeepsItWhenPushedOffLater() {
        long runId = run(batchWith(5), 5);
        RegistryMarkingPort port = port(runId);
        List<Grade> told = new ArrayList<>();
        port.onGrade(told::add);
        List<MarkOrder> orders = port.claim(5);
        Grade[] grades = { Grade.A, Grade.A, Grade.C, Grade.F };
        for (int i = 0; i < grades.length; i++) {
            port.marked(orders.get(i).id());
            port.verified(orders.get(i).id(), grades[i]);
        }
        port.verified(orders.get(0).id(), Grade.A);
        // The reject gate pushes off a verified item: its code is voided, its grade stays on record.
        port.voided(orders.get(2).id(), "pushed off at the reject gate");
        port.marked(orders.get(4).id());

        assertEquals(List.of(Grade.A, Grade.A, Grade.C, Grade.F), told, "a repeated verification is told once");
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("A", 2);
        expected.put("B", 0);
        expected.put("C", 1);
        expected.put("D", 0);
        expected.put("F", 1);
        assertEquals(expected, asAdmin().get("/api/marking-runs/" + runId).then().statusCode(200).extract()
                .jsonPath().getMap("grades"));
        assertEquals(List.of("A", "B", "C", "D", "F"), List.copyOf(asAdmin().get("/api/marking-runs/" + runId)
                .then().extract().jsonPath().getMap("grades").keySet()), "best first");
    }
}
