package io.tracemark.trace.console;

import static io.restassured.RestAssured.given;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /** A request carrying the session of a signed-in user and the CSRF token of the console's pages. */
    static RequestSpecification as(String user, String password) {
        String cookie = cookie(user, password);
        return given().redirects().follow(false).cookie(COOKIE, cookie).header(CSRF, csrfToken(cookie))
                .contentType(ContentType.JSON);
    }

    static final String CSRF = "X-CSRF-Token";

    /** Signs in and returns the session cookie. */
    static String cookie(String user, String password) {
        Response signedIn = postSignIn(user, password);
        String cookie = signedIn.getCookie(COOKIE);
        if (cookie == null) {
            throw new AssertionError("Signing in as " + user + " gave no session cookie: " + signedIn.statusCode());
        }
        return cookie;
    }

    /** The CSRF token a console page carries for this session, as console.js reads it. */
    static String csrfToken(String cookie) {
        String page = given().redirects().follow(false).cookie(COOKIE, cookie).get("/console/line").asString();
        Matcher meta = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\">").matcher(page);
        if (!meta.find()) {
            throw new AssertionError("No CSRF token in the console page: " + page);
        }
        return meta.group(1);
    }
}
