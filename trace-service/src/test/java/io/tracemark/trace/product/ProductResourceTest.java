package io.tracemark.trace.product;

import static io.tracemark.trace.Api.NUMBERS;
import static io.tracemark.trace.Api.anonymous;
import static io.tracemark.trace.Api.as;
import static io.tracemark.trace.Api.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.containsString;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.fixtures.Gs1Numbers;
import io.tracemark.trace.Api;

@QuarkusTest
class ProductResourceTest {

    private static long productCount() {
        return asAdmin().get("/api/products?size=1").then().statusCode(200).extract().jsonPath().getLong("total");
    }

    @Test
    void createsAProductAndPadsItsGtinTo14Digits() {
        String gtin13 = NUMBERS.gtin13();
        long id = asAdmin()
                .body(Map.of("gtin", gtin13, "name", "Olive oil 500 ml", "brand", "Tracemark Farms",
                        "attributes", Map.of("volume", "500 ml")))
                .post("/api/products")
                .then().statusCode(201)
                .header("Location", containsString("/api/products/"))
                .body("gtin", equalTo("0" + gtin13))
                .body("attributes.volume", equalTo("500 ml"))
                .extract().jsonPath().getLong("id");

        asAdmin().get("/api/products/" + id).then().statusCode(200).body("name", equalTo("Olive oil 500 ml"));
        asAdmin().get("/api/products?q=" + gtin13.substring(3)).then().statusCode(200)
                .body("items.id", hasItem((int) id));
    }

    @Test
    void rejectsAWrongCheckDigitByNamingTheFieldAndStoresNothing() {
        long before = productCount();
        String wrong = Gs1Numbers.breakCheckDigit(NUMBERS.gtin13());

        asAdmin().body(Map.of("gtin", wrong, "name", "Forged"))
                .post("/api/products")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:tracemark:problem:validation-failed"))
                .body("violations[0].field", equalTo("gtin"))
                .body("violations[0].message", containsString("wrong check digit"));

        org.junit.jupiter.api.Assertions.assertEquals(before, productCount());
    }

    @Test
    void rejectsADuplicateGtinWithAConflict() {
        String gtin = NUMBERS.gtin13();
        asAdmin().body(Map.of("gtin", gtin, "name", "First")).post("/api/products").then().statusCode(201);
        long before = productCount();

        asAdmin().body(Map.of("gtin", "0" + gtin, "name", "Second")).post("/api/products")
                .then().statusCode(409)
                .body("type", equalTo("urn:tracemark:problem:conflict"))
                .body("detail", containsString("0" + gtin));

        org.junit.jupiter.api.Assertions.assertEquals(before, productCount());
    }

    @Test
    void answersMalformedJsonWithAProblem() {
        long before = productCount();
        asAdmin().body("{\"gtin\": \"0950600013435\", \"name\": ").post("/api/products")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:tracemark:problem:malformed-request"))
                .body("detail", containsString("Malformed JSON"));
        org.junit.jupiter.api.Assertions.assertEquals(before, productCount());
    }

    @Test
    void answersAWrongFieldTypeByNamingTheField() {
        asAdmin().body("{\"gtin\": \"" + NUMBERS.gtin13() + "\", \"name\": \"x\", \"attributes\": [1,2]}")
                .post("/api/products")
                .then().statusCode(400)
                .body("type", equalTo("urn:tracemark:problem:validation-failed"))
                .body("violations[0].field", equalTo("attributes"));
    }

    @Test
    void answersAnUnknownIdWithNotFound() {
        asAdmin().get("/api/products/987654321").then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:tracemark:problem:not-found"))
                .body("instance", equalTo("/api/products/987654321"));
    }

    @Test
    void refusesAnonymousCallersAndRolesThatMayNotWrite() {
        anonymous().get("/api/products").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Basic"))
                .body("type", equalTo("urn:tracemark:problem:unauthenticated"));
        anonymous().body(Map.of("gtin", NUMBERS.gtin13(), "name", "x")).post("/api/products").then().statusCode(401);
        as("admin", "not-the-password").get("/api/products").then().statusCode(401);

        String password = Api.user("regulator-products", "regulator");
        long before = productCount();
        as("regulator-products", password).body(Map.of("gtin", NUMBERS.gtin13(), "name", "x"))
                .post("/api/products")
                .then().statusCode(403)
                .body("type", equalTo("urn:tracemark:problem:forbidden"));
        as("regulator-products", password).get("/api/products").then().statusCode(200);
        org.junit.jupiter.api.Assertions.assertEquals(before, productCount());
    }

    @Test
    void pagesThroughProducts() {
        Api.product();
        Api.product();
        asAdmin().get("/api/products?page=0&size=1").then().statusCode(200)
                .body("items.size()", equalTo(1)).body("size", equalTo(1));
        asAdmin().get("/api/products?size=501").then().statusCode(400)
                .body("violations[0].field", equalTo("size"));
    }

    @Test
    void keepsTheGtinOfAnExistingProduct() {
        long id = Api.product();
        asAdmin().body(Map.of("gtin", NUMBERS.gtin13(), "name", "Renamed")).put("/api/products/" + id)
                .then().statusCode(400).body("violations[0].field", equalTo("gtin"));
        asAdmin().get("/api/products/" + id).then().body("name", equalTo("Olive oil 500 ml"));
    }
}
