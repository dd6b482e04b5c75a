package io.tracemark.trace.site;

import static io.tracemark.trace.Api.NUMBERS;
import static io.tracemark.trace.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.fixtures.Gs1Numbers;
import io.tracemark.trace.Api;

@QuarkusTest
class SiteResourceTest {

    private static long siteCount() {
        return asAdmin().get("/api/sites?size=1").then().statusCode(200).extract().jsonPath().getLong("total");
    }

    @Test
    void createsASiteWithAddressAndCoordinates() {
        String gln = NUMBERS.gln();
        long id = asAdmin().body(Map.of("gln", gln, "name", "Warehouse Lyon", "role", "warehouse",
                "address", Map.of("street", "1 Quai", "city", "Lyon", "postalCode", "69001", "country", "FR"),
                "coordinates", Map.of("latitude", 45.76, "longitude", 4.83)))
                .post("/api/sites").then().statusCode(201)
                .body("role", equalTo("warehouse")).body("address.country", equalTo("FR"))
                .extract().jsonPath().getLong("id");
        asAdmin().get("/api/sites/" + id).then().statusCode(200).body("coordinates.latitude", equalTo(45.76f));
    }

    @Test
    void rejectsBadGlnUnknownRoleAndOutOfRangeCoordinatesAndStoresNothing() {
        long before = siteCount();
        asAdmin().body(Map.of("gln", Gs1Numbers.breakCheckDigit(NUMBERS.gln()), "name", "x", "role", "factory"))
                .post("/api/sites").then().statusCode(400)
                .body("violations[0].field", equalTo("gln"))
                .body("violations[0].message", containsString("check digit"));
        asAdmin().body(Map.of("gln", NUMBERS.gln(), "name", "x", "role", "castle"))
                .post("/api/sites").then().statusCode(400)
                .body("violations[0].field", equalTo("role"));
        asAdmin().body(Map.of("gln", NUMBERS.gln(), "name", "x", "role", "retailer",
                "coordinates", Map.of("latitude", 91, "longitude", 0)))
                .post("/api/sites").then().statusCode(400)
                .body("violations[0].field", equalTo("coordinates.latitude"));
        assertEquals(before, siteCount());
    }

    @Test
    void rejectsADuplicateGln() {
        String gln = NUMBERS.gln();
        asAdmin().body(Map.of("gln", gln, "name", "Shop", "role", "retailer")).post("/api/sites").then().statusCode(201);
        asAdmin().body(Map.of("gln", gln, "name", "Shop again", "role", "retailer")).post("/api/sites")
                .then().statusCode(409).body("type", equalTo("urn:tracemark:problem:conflict"));
    }

    @Test
    void linesBelongToFactoriesOnly() {
        long factory = Api.factory();
        asAdmin().body(Map.of("code", "L1", "name", "Line one")).post("/api/sites/" + factory + "/lines")
                .then().statusCode(201).body("siteId", equalTo((int) factory));
        asAdmin().body(Map.of("code", "L1", "name", "Again")).post("/api/sites/" + factory + "/lines")
                .then().statusCode(409);
        asAdmin().get("/api/sites/" + factory + "/lines").then().statusCode(200).body("size()", equalTo(1));

        long shop = asAdmin().body(Map.of("gln", NUMBERS.gln(), "name", "Shop", "role", "retailer"))
                .post("/api/sites").then().statusCode(201).extract().jsonPath().getLong("id");
        asAdmin().body(Map.of("code", "L1", "name", "Till")).post("/api/sites/" + shop + "/lines")
                .then().statusCode(400).body("violations[0].field", equalTo("siteId"));
        asAdmin().get("/api/sites/" + shop + "/lines").then().statusCode(200).body("size()", equalTo(0));
    }
}
