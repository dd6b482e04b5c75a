package io.tracemark.trace;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.quarkus.test.common.QuarkusTestResource;
import io.tracemark.fixtures.Gs1Numbers;
import io.tracemark.fixtures.PostgresDatabase;

/** Reads like the API guide: who is calling, and the master data a test needs. */
@QuarkusTestResource(PostgresDatabase.class)
public final class Api {

    public static final String ADMIN_PASSWORD = "test-admin-password";
    public static final Gs1Numbers NUMBERS = new Gs1Numbers();

    private Api() {
    }

    public static RequestSpecification asAdmin() {
        return given().auth().preemptive().basic("admin", ADMIN_PASSWORD).contentType(ContentType.JSON);
    }

    public static RequestSpecification as(String user, String password) {
        return given().auth().preemptive().basic(user, password).contentType(ContentType.JSON);
    }

    public static RequestSpecification asStation(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    public static RequestSpecification anonymous() {
        return given().contentType(ContentType.JSON);
    }

    /** Creates a user with the given roles (once per name) and returns its password. */
    public static String user(String username, String... roles) {
        String password = "pw-" + username + "-0123456789";
        asAdmin().body(Map.of("username", username, "password", password, "roles", List.of(roles)))
                .post("/api/users");
        return password;
    }

    /**
     * A partner (created once per name) that reports for exactly the given sites, as an admin
     * assigns them; no site at all is a partner that may capture nothing yet.
     */
    public static RequestSpecification partner(String username, long... siteIds) {
        String password = user(username, "partner");
        long id = asAdmin().get("/api/users").then().statusCode(200).extract().jsonPath()
                .getLong("find { it.username == '" + username + "' }.id");
        asAdmin().body(Map.of("siteIds", java.util.Arrays.stream(siteIds).boxed().toList()))
                .put("/api/users/" + id + "/sites").then().statusCode(200);
        return as(username, password);
    }

    public static long product() {
        return asAdmin().body(Map.of("gtin", NUMBERS.gtin13(), "name", "Olive oil 500 ml", "brand", "Tracemark Farms"))
                .post("/api/products").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    public static long factory() {
        return asAdmin().body(Map.of("gln", NUMBERS.gln(), "name", "Factory Sevilla", "role", "factory"))
                .post("/api/sites").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    public static long line(long siteId) {
        return asAdmin().body(Map.of("code", "L" + System.nanoTime() % 100000, "name", "Bottling line"))
                .post("/api/sites/" + siteId + "/lines").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    public static long batch(long productId, long lineId) {
        return asAdmin().body(Map.of("productId", productId, "lot", "LOT" + System.nanoTime() % 1_000_000_000L,
                "productionDate", "2026-11-20", "expiryDate", "2028-11-20", "lineId", lineId, "plannedQuantity", 5000))
                .post("/api/batches").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /** A batch on a fresh product and a fresh line of a fresh factory. */
    public static long batch() {
        return batch(product(), line(factory()));
    }

    public static long lineOfBatch(long batchId) {
        return asAdmin().get("/api/batches/" + batchId).then().statusCode(200).extract().jsonPath().getLong("lineId");
    }

    public static String stationKey(long lineId) {
        return asAdmin().body(Map.of("label", "station PC")).post("/api/lines/" + lineId + "/keys")
                .then().statusCode(201).extract().jsonPath().getString("key");
    }
}
