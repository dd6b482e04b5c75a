package io.tracemark.trace.input;

import static io.tracemark.trace.Api.asAdmin;
import static io.tracemark.trace.Api.anonymous;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.fixtures.PostgresDatabase;
import io.tracemark.trace.Api;
import io.tracemark.trace.problem.Problem;

/** Input an outside probe sent: each is refused with a problem naming what is wrong, and stores nothing. */
@QuarkusTest
class BadInputTest {

    private static long count(String sql, Object... parameters) throws Exception {
        try (Connection db = PostgresDatabase.connect(); PreparedStatement select = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    @Test
    void aNulInAJsonTextIsRefusedNamingTheField() throws Exception {
        long products = count("select count(*) from product");
        asAdmin().body("{\"gtin\":\"" + Api.NUMBERS.gtin13() + "\",\"name\":\"Olive\\u0000oil\"}").post("/api/products")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("violations[0].field", equalTo("name"))
                .body("violations[0].message", containsString("NUL"));
        anonymous().body("{\"code\":\"\\u0000\"}").post("/api/codes/check").then().statusCode(400)
                .body("violations[0].field", equalTo("code"));
        assertEquals(products, count("select count(*) from product"));
    }

    @Test
    void aNulInAPathOrQueryParameterIsRefusedNamingTheParameter() {
        long batch = Api.batch();
        asAdmin().urlEncodingEnabled(false).get("/api/codes/ABC%00DEF").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("violations[0].field", equalTo("serial"));
        asAdmin().urlEncodingEnabled(false).get("/api/batches/" + batch + "/codes?state=%00").then().statusCode(400)
                .body("violations[0].field", equalTo("state"));
        anonymous().urlEncodingEnabled(false).get("/01/09506000134352/21/ABC%00").then().statusCode(400)
                .body("violations[0].field", equalTo("serial"));
    }

    @Test
    void pagesBeyondAnyListingAreRefusedNotFailed() {
        long batch = Api.batch();
        asAdmin().get("/api/batches/" + batch + "/codes?page=2147483647").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE).body("violations[0].field", equalTo("page"));
        asAdmin().get("/api/products?page=2147483647&size=500").then().statusCode(400)
                .body("violations[0].field", equalTo("page"));
        asAdmin().get("/api/batches/" + batch + "/codes?page=1000000&size=500").then().statusCode(200)
                .body("items.size()", equalTo(0));
    }

    @Test
    void aFractionIsNotAnInteger() throws Exception {
        long batch = Api.batch();
        asAdmin().body("{\"count\":1.5}").post("/api/batches/" + batch + "/codes").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE).body("violations[0].field", equalTo("count"));
        asAdmin().body("{\"count\":2.0}").post("/api/batches/" + batch + "/codes").then().statusCode(400)
                .body("violations[0].field", equalTo("count"));
        assertEquals(0, count("select count(*) from code where batch_id = ?", batch));
        asAdmin().get("/api/batches/" + batch).then().body("codesAllocated", equalTo(0));
    }

    @Test
    void anOverlongPathGetsAProblem() {
        asAdmin().get("/api/codes/" + "A".repeat(10_000)).then().statusCode(414).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("urn:tracemark:problem:uri-too-long"))
                .body("detail", containsString("8192"));
        asAdmin().get("/api/codes/" + "A".repeat(8_000)).then().statusCode(404);
    }
}
