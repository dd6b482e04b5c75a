package io.tracemark.trace.batch;

import static io.tracemark.trace.Api.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.trace.Api;

@QuarkusTest
class BatchResourceTest {

    @Inject
    EntityManager em;

    private static Map<String, Object> batch(long product, long line, String lot) {
        Map<String, Object> body = new HashMap<>();
        body.put("productId", product);
        body.put("lot", lot);
        body.put("productionDate", "2026-11-20");
        body.put("expiryDate", "2028-11-20");
        body.put("lineId", line);
        body.put("plannedQuantity", 1000);
        return body;
    }

    private static long batchCount() {
        return asAdmin().get("/api/batches?size=1").then().statusCode(200).extract().jsonPath().getLong("total");
    }

    @Test
    void createsABatchOfAProductOnALine() {
        long product = Api.product();
        long line = Api.line(Api.factory());
        long id = asAdmin().body(batch(product, line, "L2026-11A")).post("/api/batches")
                .then().statusCode(201).body("lot", equalTo("L2026-11A")).body("codesAllocated", equalTo(0))
                .extract().jsonPath().getLong("id");
        asAdmin().get("/api/batches?productId=" + product).then().statusCode(200)
                .body("items[0].id", equalTo((int) id));
    }

    @Test
    void rejectsADuplicateLotOfTheSameProduct() {
        long product = Api.product();
        long line = Api.line(Api.factory());
        asAdmin().body(batch(product, line, "DUP1")).post("/api/batches").then().statusCode(201);
        long before = batchCount();
        asAdmin().body(batch(product, line, "DUP1")).post("/api/batches").then().statusCode(409);
        assertEquals(before, batchCount());
    }

    @Test
    void rejectsUnknownReferencesBadLotsAndExpiryBeforeProduction() {
        long product = Api.product();
        long line = Api.line(Api.factory());
        long before = batchCount();
        asAdmin().body(batch(987654321L, line, "X1")).post("/api/batches").then().statusCode(400)
                .body("violations[0].field", equalTo("productId"));
        asAdmin().body(batch(product, 987654321L, "X1")).post("/api/batches").then().statusCode(400)
                .body("violations[0].field", equalTo("lineId"));
        asAdmin().body(batch(product, line, "lot with spaces")).post("/api/batches").then().statusCode(400)
                .body("violations[0].field", equalTo("lot"));
        Map<String, Object> expired = batch(product, line, "X2");
        expired.put("expiryDate", "2020-01-01");
        asAdmin().body(expired).post("/api/batches").then().statusCode(400)
                .body("violations[0].field", equalTo("expiryDate"));
        Map<String, Object> badDate = batch(product, line, "X3");
        badDate.put("productionDate", "2026-13-45");
        asAdmin().body(badDate).post("/api/batches").then().statusCode(400)
                .body("violations[0].field", equalTo("productionDate"));
        assertEquals(before, batchCount());
    }

    @Test
    void concurrentAllocationsIntoOneBatchAllCountInItsAllocatedCodes() throws Exception {
        long batch = Api.batch();
        int clients = 8;
        int each = 250;
        CyclicBarrier together = new CyclicBarrier(clients);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                answers.add(pool.submit(() -> {
                    together.await();
                    return asAdmin().body(Map.of("count", each)).post("/api/batches/" + batch + "/codes")
                            .then().extract().statusCode();
                }));
            }
            for (Future<Integer> answer : answers) {
                assertEquals(201, answer.get());
            }
        } finally {
            pool.shutdownNow();
        }

        long rows = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from code where batch_id = ?1").setParameter(1, batch).getSingleResult()).longValue());
        assertEquals(clients * each, rows);
        asAdmin().get("/api/batches/" + batch).then().statusCode(200).body("codesAllocated", equalTo(clients * each));
        asAdmin().get("/api/batches/" + batch + "/codes?size=1").then().statusCode(200)
                .body("total", equalTo(clients * each));
    }
}
