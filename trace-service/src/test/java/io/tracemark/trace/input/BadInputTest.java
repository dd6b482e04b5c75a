package io.tracemark.trace.input;

import static io.tracemark.trace.Api.asAdmin;
import static io.tracemark.trace.Api.anonymous;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
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

    /**
     * A body declared over the 10 MiB limit is refused from its headers, before any of it is read:
     * the client gets a problem document and the connection is closed. Plain socket, because HTTP
     * clients keep sending the body the server has already refused.
     */
    @Test
    void aBodyOverTheLimitGetsAProblemBeforeItIsRead() throws Exception {
        long products = count("select count(*) from product");
        String credentials = Base64.getEncoder().encodeToString(("admin:" + Api.ADMIN_PASSWORD)
                .getBytes(StandardCharsets.US_ASCII));
        String answer;
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /api/products HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Basic " + credentials + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 11000000\r\n\r\n{\"gtin\":\"").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals("HTTP/1.1 413", answer.substring(0, 12), answer);
        assertThat(answer.toLowerCase(), containsString("content-type: " + Problem.MEDIA_TYPE));
        assertThat(answer, containsString("\"type\":\"urn:tracemark:problem:payload-too-large\""));
        assertThat(answer, containsString("at most 10485760"));
        assertEquals(products, count("select count(*) from product"));
    }
}
