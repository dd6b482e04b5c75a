package io.tracemark.trace.ops;

import static io.restassured.RestAssured.given;
import static io.tracemark.trace.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.tracemark.trace.Api;

@QuarkusTest
class OperabilityTest {

    /** Health and metrics are served on the management port, not on the API's. */
    private static RequestSpecification management() {
        return given().port(ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class));
    }

    @Test
    void reportsReadinessIncludingTheDatabase() {
        management().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Database connections health check"));
        management().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void countsAllocatedCodesAndRequestLatencyForPrometheus() {
        long batch = Api.batch();
        asAdmin().body(Map.of("count", 7)).post("/api/batches/" + batch + "/codes").then().statusCode(201);
        management().get("/q/metrics").then().statusCode(200)
                .body(containsString("tracemark_codes_allocated_codes_total"))
                .body(containsString("http_server_requests_seconds_count{method=\"POST\""))
                .body(containsString("uri=\"/api/batches/{batchId}/codes\""));
    }

    @Test
    void keepsHealthAndMetricsOffThePublicPort() {
        given().get("/q/metrics").then().statusCode(404);
        given().get("/q/health/ready").then().statusCode(404);
    }

    @Test
    void publishesTheOpenApiDocumentAndSwaggerUi() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("info.title", equalTo("Tracemark API"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/batches/{batchId}/codes"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void answersUnknownRoutesAndMethodsWithProblems() {
        asAdmin().get("/api/nothing-here").then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:tracemark:problem:not-found"));
        asAdmin().delete("/api/products").then().statusCode(405)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:tracemark:problem:method-not-allowed"));
        asAdmin().contentType("text/plain").body("hello").post("/api/products").then().statusCode(415)
                .body("type", equalTo("urn:tracemark:problem:unsupported-media-type"));
    }
}
