package io.tracemark.trace.marking;

import static io.tracemark.trace.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.marker.MarkOrder;
import io.tracemark.marker.verify.Grade;
import io.tracemark.trace.Api;
import io.tracemark.trace.code.CodeAllocator;
import io.tracemark.trace.code.CodeRegistry;
import io.tracemark.trace.code.SerialCodec;

/** A run's grade distribution: told as marks are verified, and counted again from the registry. */
@QuarkusTest
class RunGradesTest {

    @Inject
    EntityManager em;
    @Inject
    SerialCodec codec;
    @Inject
    CodeRegistry registry;
    @Inject
    CodeAllocator allocator;

    @Test
    void eachVerifiedMarkCountsInItsGradeAndKeepsItWhenPushedOffLater() {
        long batch = Api.batch();
        long runId = RecordedRuns.running(batch, Api.lineOfBatch(batch), 5);
        RegistryMarkingPort port = new RegistryMarkingPort(runId, em, codec, registry, allocator);
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
