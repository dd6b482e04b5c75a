package io.tracemark.trace.security;

import static io.tracemark.trace.Api.anonymous;
import static io.tracemark.trace.Api.as;
import static io.tracemark.trace.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.trace.Api;

@QuarkusTest
class AccessTest {

    @Test
    void adminsCreateUsersWhoSignInWithTheirRoles() {
        asAdmin().body(Map.of("username", "olga.operator", "password", "a-long-enough-password",
                "roles", List.of("operator"))).post("/api/users")
                .then().statusCode(201).body("roles", equalTo(List.of("operator")))
                .body("$", not(org.hamcrest.Matchers.hasKey("passwordHash")));
        as("olga.operator", "a-long-enough-password").get("/api/me").then().statusCode(200)
                .body("name", equalTo("olga.operator")).body("roles", equalTo(List.of("operator")));
        asAdmin().get("/api/users").then().statusCode(200).body("username", hasItem("olga.operator"))
                .body("passwordHash", not(hasItem(org.hamcrest.Matchers.notNullValue())));
    }

    @Test
    void onlyAdminsManageUsersAndStationKeys() {
        String password = Api.user("oscar.operator", "operator");
        long line = Api.line(Api.factory());
        int usersBefore = asAdmin().get("/api/users").then().extract().jsonPath().getList("$").size();

        as("oscar.operator", password).body(Map.of("username", "intruder", "password", "a-long-enough-password",
                "roles", List.of("admin"))).post("/api/users").then().statusCode(403);
        as("oscar.operator", password).body(Map.of("label", "x")).post("/api/lines/" + line + "/keys")
                .then().statusCode(403);
        anonymous().body(Map.of("label", "x")).post("/api/lines/" + line + "/keys").then().statusCode(401);

        asAdmin().get("/api/users").then().body("size()", equalTo(usersBefore));
        asAdmin().get("/api/lines/" + line + "/keys").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void refusesWeakPasswordsUnknownRolesAndDuplicateNames() {
        asAdmin().body(Map.of("username", "short.pw", "password", "short", "roles", List.of("regulator")))
                .post("/api/users").then().statusCode(400).body("violations[0].field", equalTo("password"));
        asAdmin().body(Map.of("username", "station.user", "password", "a-long-enough-password",
                "roles", List.of("station"))).post("/api/users").then().statusCode(400)
                .body("violations[0].field", equalTo("roles")).body("detail", containsString("stations get keys"));
        asAdmin().body(Map.of("username", "dup.user", "password", "a-long-enough-password",
                "roles", List.of("partner"))).post("/api/users").then().statusCode(201);
        asAdmin().body(Map.of("username", "dup.user", "password", "another-long-password",
                "roles", List.of("partner"))).post("/api/users").then().statusCode(409);
        as("dup.user", "another-long-password").get("/api/me").then().statusCode(401);
    }

    @Test
    void partnersReadButNeverWrite() {
        String password = Api.user("pia.partner", "partner");
        long product = Api.product();
        as("pia.partner", password).get("/api/products/" + product).then().statusCode(200);
        as("pia.partner", password).body(Map.of("gln", Api.NUMBERS.gln(), "name", "x", "role", "retailer"))
                .post("/api/sites").then().statusCode(403);
        long batch = Api.batch();
        as("pia.partner", password).body(Map.of("count", 1)).post("/api/batches/" + batch + "/codes")
                .then().statusCode(403);
        as("pia.partner", password).get("/api/batches/" + batch + "/codes").then().statusCode(403);
    }
}
