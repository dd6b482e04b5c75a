package io.tracemark.trace.security;

import static io.tracemark.trace.Api.as;
import static io.tracemark.trace.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.tracemark.trace.roles.Roles;
import io.tracemark.trace.Api;

/**
 * Changing a password, disabling a user and revoking a station key take effect at once, even for
 * a password the service has just proven right and remembers; failed sign-ins are throttled per
 * account and per address; an unknown user is answered as a wrong password is, in the same time.
 * (The suite's own address is exempt from the address count; tests stand for other clients with
 * X-Forwarded-For.)
 */
@QuarkusTest
class AccountsTest {

    private static final String PROBLEM = "application/problem+json";

    private static long idOf(String username) {
        return asAdmin().get("/api/users").then().extract().jsonPath()
                .getLong("find { it.username == '" + username + "' }.id");
    }

    @Test
    void aUserChangesTheirOwnPasswordAndTheOldOneStopsWorkingAtOnce() {
        String old = Api.user("carla.change", Roles.OPERATOR);
        as("carla.change", old).get("/api/me").then().statusCode(200);

        as("carla.change", old).body(Map.of("currentPassword", "not-my-password", "newPassword", "a-brand-new-password"))
                .put("/api/me/password").then().statusCode(400).contentType(PROBLEM)
                .body("violations[0].field", equalTo("currentPassword"));
        as("carla.change", old).body(Map.of("currentPassword", old, "newPassword", "short"))
                .put("/api/me/password").then().statusCode(400).body("violations[0].field", equalTo("newPassword"));
        as("carla.change", old).get("/api/me").then().statusCode(200);

        as("carla.change", old).body(Map.of("currentPassword", old, "newPassword", "a-brand-new-password"))
                .put("/api/me/password").then().statusCode(204);
        as("carla.change", old).get("/api/me").then().statusCode(401);
        as("carla.change", "a-brand-new-password").get("/api/me").then().statusCode(200);
    }

    @Test
    void anAdminResetsAPasswordAndDisablesAndEnablesAUserWithImmediateEffect() {
        String password = Api.user("rita.reset", Roles.PARTNER);
        long id = idOf("rita.reset");
        as("rita.reset", password).get("/api/me").then().statusCode(200);

        as("rita.reset", password).body(Map.of("password", "an-admin-chosen-password")).put("/api/users/" + id + "/password")
                .then().statusCode(403);
        asAdmin().body(Map.of("password", "an-admin-chosen-password")).put("/api/users/" + id + "/password")
                .then().statusCode(204);
        as("rita.reset", password).get("/api/me").then().statusCode(401);
        as("rita.reset", "an-admin-chosen-password").get("/api/me").then().statusCode(200);

        asAdmin().post("/api/users/" + id + "/disable").then().statusCode(200).body("disabled", equalTo(true));
        as("rita.reset", "an-admin-chosen-password").get("/api/me").then().statusCode(401);
        asAdmin().post("/api/users/" + id + "/enable").then().statusCode(200).body("disabled", equalTo(false));
        as("rita.reset", "an-admin-chosen-password").get("/api/me").then().statusCode(200);

        asAdmin().post("/api/users/987654321/disable").then().statusCode(404).contentType(PROBLEM);
        asAdmin().post("/api/users/" + idOf("admin") + "/disable").then().statusCode(400).contentType(PROBLEM);
        Api.asAdmin().get("/api/me").then().statusCode(200);
    }

    @Test
    void aRevokedStationKeyIsRefusedAtOnce() {
        long line = Api.line(Api.factory());
        String key = Api.stationKey(line);
        Api.asStation(key).get("/api/me").then().statusCode(200);
        long keyId = asAdmin().get("/api/lines/" + line + "/keys").then().extract().jsonPath().getLong("[0].id");
        asAdmin().delete("/api/lines/" + line + "/keys/" + keyId).then().statusCode(204);
        Api.asStation(key).get("/api/me").then().statusCode(401);
    }

    @Test
    void failedSignInsOfOneAccountAreThrottledEvenWithTheRightPasswordThen() {
        String password = Api.user("theo.throttled", Roles.OPERATOR);
        for (int i = 0; i < 6; i++) {
            as("theo.throttled", "wrong-password-" + i).get("/api/me").then().statusCode(401);
        }
        as("theo.throttled", password).get("/api/me").then().statusCode(429).contentType(PROBLEM)
                .header("Retry-After", notNullValue()).body("type", equalTo("urn:tracemark:problem:too-many-requests"));
        // An account name that does not exist is counted and answered the same way.
        for (int i = 0; i < 6; i++) {
            as("nobody.by.this.name", "wrong-password-" + i).get("/api/me").then().statusCode(401);
        }
        as("nobody.by.this.name", "any-password").get("/api/me").then().statusCode(429)
                .header("Retry-After", notNullValue());
    }

    @Test
    void failedSignInsFromOneAddressAreThrottledWhateverTheAccount() {
        String password = Api.user("ada.address", Roles.OPERATOR);
        for (int i = 0; i < 8; i++) {
            fromAddress("198.51.100.23").auth().preemptive().basic("guess-" + i, "wrong-password").get("/api/me")
                    .then().statusCode(401);
        }
        fromAddress("198.51.100.23").auth().preemptive().basic("ada.address", password).get("/api/me")
                .then().statusCode(429).header("Retry-After", notNullValue());
        fromAddress("198.51.100.24").auth().preemptive().basic("ada.address", password).get("/api/me")
                .then().statusCode(200);
    }

    @Test
    void anUnknownUserIsAnsweredAsAWrongPasswordIsInTheSameTime() {
        Api.user("tina.timing", Roles.OPERATOR);
        // Warm both paths once, so that class loading and the first bcrypt count for neither.
        as("tina.timing", "warm-up-password").get("/api/me");
        as("no.such.timing.user", "warm-up-password").get("/api/me");
        List<Long> wrong = new ArrayList<>();
        List<Long> unknown = new ArrayList<>();
        String wrongBody = null;
        String unknownBody = null;
        for (int i = 0; i < 4; i++) {
            Response w = as("tina.timing", "wrong-password-" + i).get("/api/me");
            Response u = as("no.such.timing.user", "wrong-password-" + i).get("/api/me");
            assertEquals(401, w.statusCode());
            assertEquals(401, u.statusCode());
            wrong.add(w.time());
            unknown.add(u.time());
            wrongBody = w.asString();
            unknownBody = u.asString();
        }
        assertEquals(wrongBody, unknownBody, "the same answer for both");
        long wrongMedian = median(wrong);
        long unknownMedian = median(unknown);
        // Both pay one bcrypt check: an unknown user answered without one would take a few ms.
        assertTrue(unknownMedian * 2 >= wrongMedian && wrongMedian * 2 >= unknownMedian,
                "unknown user " + unknown + " ms, wrong password " + wrong + " ms");
    }

    @Test
    void aFloodOfWrongPasswordsIsAnsweredQuicklyBeyondTheBoundAndOthersGoOn() throws Exception {
        String password = Api.user("fiona.flood", Roles.OPERATOR);
        as("fiona.flood", password).get("/api/me").then().statusCode(200);
        ExecutorService flood = Executors.newFixedThreadPool(40);
        try {
            List<Future<Response>> answers = IntStream.range(0, 40)
                    .mapToObj(i -> flood.submit(() -> fromAddress("192.0.2." + (i + 1)).auth().preemptive()
                            .basic("flooder-" + i, "wrong-password").get("/api/me").andReturn()))
                    .toList();
            // A user whose password the service remembers is not held up behind the flood.
            as("fiona.flood", password).get("/api/me").then().statusCode(200);
            List<Integer> statuses = new ArrayList<>();
            for (Future<Response> answer : answers) {
                Response response = answer.get();
                statuses.add(response.statusCode());
                if (response.statusCode() == 503) {
                    assertEquals("1", response.header("Retry-After"));
                }
            }
            assertTrue(statuses.stream().allMatch(status -> status == 401 || status == 503), statuses.toString());
            assertTrue(statuses.contains(503), "checks beyond the bound are refused at once: " + statuses);
        } finally {
            flood.shutdownNow();
        }
    }

    @Test
    void theConsoleAnswersAThrottledSignInWithAPageAndRetryAfter() {
        Api.user("paula.page", Roles.REGULATOR);
        for (int i = 0; i < 6; i++) {
            RestAssured.given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                    .formParam("j_username", "paula.page").formParam("j_password", "wrong-password-" + i)
                    .post("/console/j_security_check").then().statusCode(303);
        }
        Response throttled = RestAssured.given().redirects().follow(false)
                .contentType("application/x-www-form-urlencoded").formParam("j_username", "paula.page")
                .formParam("j_password", "pw-paula.page-0123456789").post("/console/j_security_check");
        throttled.then().statusCode(429).contentType(containsString("text/html")).header("Retry-After", notNullValue())
                .body(containsString("Too many failed sign-ins"));
        assertEquals(null, throttled.getCookie("quarkus-credential"), "no session");
    }

    private static RequestSpecification fromAddress(String address) {
        return RestAssured.given().header("X-Forwarded-For", address);
    }

    private static long median(List<Long> times) {
        List<Long> sorted = times.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
