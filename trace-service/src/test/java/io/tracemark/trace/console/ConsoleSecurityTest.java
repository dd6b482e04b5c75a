package io.tracemark.trace.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.tracemark.trace.Api;
import io.tracemark.trace.roles.Roles;

/**
 * What keeps a console session the user's own: signing out ends it on the server (a copied
 * cookie opens nothing afterwards), a disabled user's session stops at once, requests that change
 * something need the page's CSRF token, the sign-in form refuses posts from other sites, and every
 * page carries the security headers.
 */
@QuarkusTest
class ConsoleSecurityTest {

    private static RequestSpecification withCookie(String cookie) {
        return given().redirects().follow(false).cookie(ConsoleSession.COOKIE, cookie);
    }

    @Test
    void aCookieCopiedBeforeSignOutOpensNothingAfterIt() {
        String password = Api.user("sam.signout", Roles.REGULATOR);
        String cookie = ConsoleSession.cookie("sam.signout", password);
        String copy = cookie;
        withCookie(copy).get("/console/").then().statusCode(200);

        // Without the page's token, sign-out is refused and the session goes on.
        withCookie(cookie).post("/console/sign-out").then().statusCode(403);
        withCookie(copy).get("/console/").then().statusCode(200);

        withCookie(cookie).header(ConsoleSession.CSRF, ConsoleSession.csrfToken(cookie)).post("/console/sign-out")
                .then().statusCode(303);
        withCookie(copy).get("/console/").then().statusCode(oneOf(302, 303, 401));
        withCookie(copy).accept(ContentType.JSON).get("/console/api/ledger/verify").then().statusCode(401);

        // Signing in again opens a new session.
        withCookie(ConsoleSession.cookie("sam.signout", password)).get("/console/").then().statusCode(200);
    }

    @Test
    void aDisabledUsersSessionStopsAtOnce() {
        String password = Api.user("dora.disabled", Roles.REGULATOR);
        String cookie = ConsoleSession.cookie("dora.disabled", password);
        withCookie(cookie).get("/console/").then().statusCode(200);
        long id = Api.asAdmin().get("/api/users").then().extract().jsonPath()
                .getLong("find { it.username == 'dora.disabled' }.id");
        Api.asAdmin().post("/api/users/" + id + "/disable").then().statusCode(200);
        withCookie(cookie).get("/console/").then().statusCode(oneOf(302, 303, 401));
        Api.asAdmin().post("/api/users/" + id + "/enable").then().statusCode(200);
    }

    @Test
    void aRecallWithoutTheCsrfTokenIsRefusedAndRecordsNothing() {
        String password = Api.user("rex.recall", Roles.REGULATOR);
        long batch = Api.batch();
        String cookie = ConsoleSession.cookie("rex.recall", password);
        String recall = "/console/api/batches/" + batch + "/recall";
        withCookie(cookie).contentType(ContentType.JSON).body(Map.of("reason", "Forged by another site"))
                .post(recall).then().statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("X-CSRF-Token"));
        withCookie(cookie).contentType(ContentType.JSON).header(ConsoleSession.CSRF, "not-the-token")
                .body(Map.of("reason", "Forged by another site")).post(recall).then().statusCode(403);
        withCookie(cookie).get("/console/api/batches/" + batch + "/counts").then().statusCode(200)
                .body("recall", nullValue());
    }

    @Test
    void theSignInFormRefusesPostsFromOtherSites() {
        String password = Api.user("olli.origin", Roles.REGULATOR);
        Response crossSite = signIn("olli.origin", password).header("Sec-Fetch-Site", "cross-site")
                .post("/console/j_security_check");
        assertEquals(403, crossSite.statusCode());
        assertEquals(null, crossSite.getCookie(ConsoleSession.COOKIE));
        Response otherOrigin = signIn("olli.origin", password).header("Origin", "https://attacker.example")
                .post("/console/j_security_check");
        assertEquals(403, otherOrigin.statusCode());
        assertEquals(null, otherOrigin.getCookie(ConsoleSession.COOKIE));
        assertTrue(otherOrigin.asString().contains("another site"), otherOrigin.asString());

        Response sameSite = signIn("olli.origin", password).header("Sec-Fetch-Site", "same-origin")
                .post("/console/j_security_check");
        assertTrue(sameSite.statusCode() == 302 || sameSite.statusCode() == 303, sameSite.statusLine());
        assertTrue(sameSite.getCookie(ConsoleSession.COOKIE) != null);
    }

    @Test
    void everyKindOfPageCarriesTheSecurityHeaders() {
        String password = Api.user("hedda.headers", Roles.ADMIN);
        String cookie = ConsoleSession.cookie("hedda.headers", password);
        String operator = ConsoleSession.cookie("otto.headers", Api.user("otto.headers", Roles.OPERATOR));
        assertSecurityHeaders(given().get("/console/sign-in"));
        assertSecurityHeaders(given().get("/console/sign-in?failed=true"));
        assertSecurityHeaders(withCookie(cookie).get("/console/"));
        assertSecurityHeaders(withCookie(cookie).get("/console/line"));
        assertSecurityHeaders(withCookie(operator).get("/console/items?code=x"));
        assertSecurityHeaders(signIn("x", "y").header("Origin", "https://attacker.example").post("/console/j_security_check"));
        assertSecurityHeaders(given().accept(ContentType.HTML).get("/01/09506000134352/21/NOSUCHSERIAL"));
        assertSecurityHeaders(given().get("/"));
    }

    private static void assertSecurityHeaders(Response page) {
        page.then().contentType(containsString("text/html"))
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("Content-Security-Policy", not(containsString("unsafe-inline")))
                .header("X-Content-Type-Options", equalTo("nosniff"))
                .header("X-Frame-Options", equalTo("DENY"))
                .header("Referrer-Policy", equalTo("same-origin"));
    }

    private static RequestSpecification signIn(String user, String password) {
        return given().redirects().follow(false).contentType(ContentType.URLENC).formParam("j_username", user)
                .formParam("j_password", password);
    }
}
