package io.tracemark.trace.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tracemark.trace.movement.Production;
import io.tracemark.trace.security.AccessMatrix.Caller;
import io.tracemark.trace.security.MatrixRoutes.Call;

/**
 * Every route of the service's OpenAPI document, called by every kind of caller: the answer must be
 * the one {@code access-matrix.txt} states, and a refused write must leave the database as it was.
 * The table is printed into docs/security.md, so the documented matrix is the tested one.
 */
@QuarkusTest
class AccessMatrixTest {

    private static final Path DOCUMENT = Path.of("..", "docs", "security.md");
    private static final Path OBSERVED = Path.of("target", "access-matrix-observed.txt");
    private static final String SESSION_COOKIE = "quarkus-credential";
    private static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Pattern CSRF_META = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\">");

    @TestHTTPResource("/")
    URL service;

    @Inject
    Production production;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<Caller, Session> sessions = new EnumMap<>(Caller.class);
    private MatrixStory story;

    @Test
    void everyRouteAnswersEveryCallerAsTheMatrixSaysAndRefusedWritesStoreNothing() throws IOException {
        AccessMatrix matrix = AccessMatrix.load();
        AccessMatrix.writeInto(DOCUMENT, section(matrix));
        List<String> documented = openApiRoutes();
        story = new MatrixStory(production);
        MatrixRoutes routes = new MatrixRoutes(story);

        Map<String, Map<Caller, Integer>> observed = new LinkedHashMap<>();
        List<String> wrong = new ArrayList<>();
        try (Connection database = Fingerprint.connect()) {
            callEveryCell(matrix, documented, routes, database, observed, wrong);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        writeObserved(observed);
        report(matrix, documented, observed, wrong);
    }

    /**
     * Calls each route as every caller. On a write route the callers the matrix expects to be refused
     * go first: their requests are prepared (which may create what they act on), then sent between two
     * fingerprints of the database, so that a write route costs two fingerprints rather than a pair per
     * cell; on the suite's database every fingerprint counts the rows of every table.
     */
    private void callEveryCell(AccessMatrix matrix, List<String> documented, MatrixRoutes routes, Connection database,
            Map<String, Map<Caller, Integer>> observed, List<String> wrong) {
        for (String route : documented) {
            Map<Caller, Integer> row = new EnumMap<>(Caller.class);
            boolean write = !MatrixRoutes.READS.contains(route.substring(0, route.indexOf(' ')));
            Map<Caller, Call> refusedCalls = new EnumMap<>(Caller.class);
            if (write) {
                for (Caller caller : Caller.values()) {
                    if (expectedRefused(matrix, route, caller)) {
                        refusedCalls.put(caller, routes.call(route, caller));
                    }
                }
            }
            Fingerprint before = refusedCalls.isEmpty() ? null : Fingerprint.take(database);
            List<String> refused = new ArrayList<>();
            refusedCalls.forEach((caller, call) -> {
                int status = callCell(matrix, route, caller, call, wrong);
                row.put(caller, status);
                if (status >= 400) {
                    refused.add(caller.column + " (" + status + ")");
                }
            });
            if (before != null && !refused.isEmpty()) {
                String changes = before.changesTo(Fingerprint.take(database));
                if (!changes.isEmpty()) {
                    wrong.add(route + " was refused to " + String.join(", ", refused)
                            + " but the database changed: " + changes);
                }
            }
            for (Caller caller : Caller.values()) {
                if (!row.containsKey(caller)) {
                    row.put(caller, callCell(matrix, route, caller, routes.call(route, caller), wrong));
                }
            }
            observed.put(route, row);
        }
    }

    /** Sends one cell's request, undoes what an accepted write did, and notes a status the matrix does not expect. */
    private int callCell(AccessMatrix matrix, String route, Caller caller, Call call, List<String> wrong) {
        Answer answer = send(call, caller);
        if (answer.status() < 300) {
            call.undo().run();
        }
        if (matrix.has(route) && matrix.expected(route, caller) != answer.status()) {
            wrong.add(route + " as " + caller.column + ": expected " + matrix.expected(route, caller)
                    + ", answered " + answer.status() + " " + answer.excerpt());
        }
        return answer.status();
    }

    private static boolean expectedRefused(AccessMatrix matrix, String route, Caller caller) {
        return !matrix.has(route) || matrix.expected(route, caller) >= 400;
    }

    private static String section(AccessMatrix matrix) {
        return "## Access matrix\n\n"
                + "What every route of the OpenAPI document answers to each kind of caller, as the test "
                + "`AccessMatrixTest` calls it against the running service and rewrites this section from its table "
                + "`trace-service/src/test/resources/io/tracemark/trace/security/access-matrix.txt`; a refused write is "
                + "also checked to have stored nothing. Callers: `public` (no credentials), a user of each role, "
                + "`partner` (a partner acting at the shop assigned to it), `station` (the key of the line whose data it "
                + "acts on), `other-station` (a key of another factory's line, acting on the first line's data) and "
                + "`other-partner` (a partner of another shop, acting on the first shop's data). Console routes are "
                + "called with a console session (stations and the public have none); 302 is the redirect to sign-in.\n\n"
                + matrix.markdown();
    }

    private List<String> openApiRoutes() {
        JsonPath document = given().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
        Map<String, Map<String, Object>> paths = document.getMap("paths");
        List<String> routes = new ArrayList<>();
        paths.forEach((path, operations) -> operations.keySet().stream()
                .filter(method -> List.of("get", "put", "post", "delete", "patch", "head", "options").contains(method))
                .forEach(method -> routes.add(method.toUpperCase() + " " + path)));
        return routes;
    }

    private static void report(AccessMatrix matrix, List<String> documented, Map<String, Map<Caller, Integer>> observed,
            List<String> wrong) {
        List<String> missing = documented.stream().filter(route -> !matrix.has(route)).toList();
        List<String> stale = matrix.stale(documented);
        StringBuilder problems = new StringBuilder();
        if (!missing.isEmpty()) {
            problems.append("Routes of the OpenAPI document without a row in ").append(AccessMatrix.RESOURCE)
                    .append(". Rows with what they answer today; check each against the rules in docs/security.md")
                    .append(" before pasting:\n");
            missing.forEach(route -> problems.append(AccessMatrix.row(route, observed.get(route))).append('\n'));
        }
        if (!stale.isEmpty()) {
            problems.append("Rows of ").append(AccessMatrix.RESOURCE).append(" for routes the service no longer has: ")
                    .append(stale).append('\n');
        }
        if (!wrong.isEmpty()) {
            problems.append(wrong.size()).append(" cells answered otherwise:\n");
            wrong.forEach(cell -> problems.append("  ").append(cell).append('\n'));
        }
        if (!problems.isEmpty()) {
            fail(problems.toString());
        }
    }

    private static void writeObserved(Map<String, Map<Caller, Integer>> observed) throws IOException {
        StringBuilder text = new StringBuilder(AccessMatrix.header()).append('\n');
        observed.forEach((route, row) -> text.append(AccessMatrix.row(route, row)).append('\n'));
        Files.writeString(OBSERVED, text);
    }

    /** A cell's answer: its status and the start of its body, to say why when it is not the expected one. */
    private record Answer(int status, String excerpt) {
    }

    private Answer send(Call call, Caller caller) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.toString().replaceAll("/$", "") + call.path()))
                .timeout(Duration.ofSeconds(30))
                .method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(call.body()));
        if (call.contentType() != null) {
            request.header("Content-Type", call.contentType());
        }
        credentials(request, call, caller);
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                // An event stream of a run that goes on never ends: its status is all a cell needs.
                boolean stream = response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
                String text = stream ? "(event stream)" : new String(body.readAllBytes(), StandardCharsets.UTF_8);
                return new Answer(response.statusCode(), text.substring(0, Math.min(300, text.length())).replace('\n', ' '));
            }
        } catch (IOException e) {
            throw new IllegalStateException(call.method() + " " + call.path() + " as " + caller.column + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stations present their key; people sign in to the console for its routes and use basic auth elsewhere. */
    private void credentials(HttpRequest.Builder request, Call call, Caller caller) {
        switch (caller) {
            case PUBLIC -> {
            }
            case STATION -> request.header("Authorization", "Bearer " + story.stationKey);
            case OTHER_STATION -> request.header("Authorization", "Bearer " + story.otherStationKey);
            default -> {
                String user = MatrixStory.userOf(caller);
                String password = story.passwordOf(caller);
                if (call.path().startsWith("/console")) {
                    Session session = call.freshSession() ? signIn(user, password)
                            : sessions.computeIfAbsent(caller, c -> signIn(user, password));
                    if (call.freshSession()) {
                        // Signing out may end every session of the user.
                        sessions.remove(caller);
                    }
                    request.header("Cookie", SESSION_COOKIE + "=" + session.cookie());
                    if (session.csrfToken() != null) {
                        request.header(CSRF_HEADER, session.csrfToken());
                    }
                } else {
                    request.header("Authorization", "Basic " + Base64.getEncoder()
                            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
    }

    /** A console session: its cookie, and the token its pages give for requests that change something. */
    private record Session(String cookie, String csrfToken) {
    }

    private static Session signIn(String user, String password) {
        Map<String, String> form = new HashMap<>(Map.of("j_username", user, "j_password", password));
        String cookie = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParams(form).post("/console/j_security_check").getCookie(SESSION_COOKIE);
        if (cookie == null) {
            throw new IllegalStateException("Signing in to the console as " + user + " gave no session");
        }
        for (String page : List.of("/console", "/console/line")) {
            Matcher meta = CSRF_META.matcher(given().redirects().follow(false).cookie(SESSION_COOKIE, cookie).get(page)
                    .asString());
            if (meta.find()) {
                return new Session(cookie, meta.group(1));
            }
        }
        return new Session(cookie, null);
    }
}
