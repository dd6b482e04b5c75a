package io.tracemark.trace.console;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Signing in to the console as a browser does: the sign-in form, then the session cookie. */
final class ConsoleSession {

    static final String COOKIE = "quarkus-credential";

    private ConsoleSession() {
    }

    /** Posts the sign-in form; the answer is the redirect the browser would follow. */
    static Response postSignIn(String user, String password) {
        return given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("j_username", user).formParam("j_password", password)
                .post("/console/j_security_check");
    }

    /** A request carrying the session of a signed-in user. */
    static RequestSpecification as(String user, String password) {
        Response signedIn = postSignIn(user, password);
        String cookie = signedIn.getCookie(COOKIE);
        if (cookie == null) {
            throw new AssertionError("Signing in as " + user + " gave no session cookie: " + signedIn.statusCode());
        }
        return given().redirects().follow(false).cookie(COOKIE, cookie).contentType(ContentType.JSON);
    }
}
