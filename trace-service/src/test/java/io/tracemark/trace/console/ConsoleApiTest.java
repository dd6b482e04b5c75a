package io.tracemark.trace.console;

import static io.tracemark.trace.Api.anonymous;
import static io.tracemark.trace.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.tracemark.trace.Api;
import io.tracemark.trace.movement.Production;
import io.tracemark.trace.roles.Roles;
import io.tracemark.trace.scan.ScanLog;

/** The console's sign-in and the JSON its pages read, as a browser's requests reach them. */
@QuarkusTest
class ConsoleApiTest {

    private static final String PROBLEM = "application/problem+json";

    @Inject
    Production production;

    @Inject
    ScanLog scanLog;

    private static RequestSpecification regulator() {
        return ConsoleSession.as("console-regulator", Api.user("console-regulator", Roles.REGULATOR));
    }

    @Test
    void theApiKeepsAnsweringWithoutCredentialsAs401ProblemNotASignInRedirect() {
        anonymous().redirects().follow(false).get("/api/trace/batches/1/items").then().statusCode(401)
                .contentType(PROBLEM).header("WWW-Authenticate", startsWith("Basic"));
    }

    @Test
    void pagesSendStrangersToTheSignInPageAndTheConsolesJsonAnswers401() {
        anonymous().redirects().follow(false).get("/console/").then().statusCode(302)
                .header("Location", endsWith("/console/sign-in"));
        anonymous().get("/console/api/search?q=x").then().statusCode(401).contentType(PROBLEM);
        anonymous().get("/console/sign-in").then().statusCode(200).body(containsString("Sign in to Tracemark"));
    }

    @Test
    void aWrongPasswordGoesBackToTheSignInPageWithAMessageAndNoSession() {
        Api.user("console-regulator", Roles.REGULATOR);
        var answer = ConsoleSession.postSignIn("console-regulator", "not-the-password");
        assertEquals(303, answer.statusCode(), answer.getHeaders() + "\n" + answer.asString());
        assertTrue(answer.getHeader("Location").contains("/console/sign-in?failed=true"), answer.getHeader("Location"));
        assertEquals(null, answer.getCookie(ConsoleSession.COOKIE));
        anonymous().get("/console/sign-in?failed=true").then().statusCode(401)
                .body(containsString("The user name or password is wrong"));
    }

    @Test
    void theSessionIsTheConsolesOnly() {
        // Basic credentials do not open console paths, and the session cookie is scoped to /console.
        Api.as("console-regulator", Api.user("console-regulator", Roles.REGULATOR)).get("/console/api/search?q=x")
                .then().statusCode(401);
        var answer = ConsoleSession.postSignIn("console-regulator", Api.user("console-regulator", Roles.REGULATOR));
        assertTrue(answer.getDetailedCookie(ConsoleSession.COOKIE).isHttpOnly());
        assertEquals("/console", answer.getDetailedCookie(ConsoleSession.COOKIE).getPath());
    }

    @Test
    void regulatorsFindABatchByLotProductAndSiteAndAnItemByCodeOrSerial() {
        ConsoleStory.Told story = ConsoleStory.tell(production, 4);
        String batchPage = "/console/batches/" + story.batchId();
        regulator().queryParam("q", story.lot().lot()).get("/console/api/search").then().statusCode(200)
                .body("href", hasItem(batchPage));
        regulator().queryParam("q", story.lot().gtin()).queryParam("kind", "product").get("/console/api/search")
                .then().statusCode(200).body("href", hasItem(batchPage));
        regulator().queryParam("q", story.lot().gln()).queryParam("kind", "site").get("/console/api/search")
                .then().statusCode(200).body("href", hasItem(batchPage)).body("kind", hasItem("site"));
        String serial = story.codes().get(0).substring(story.codes().get(0).lastIndexOf('/') + 1);
        for (String code : List.of(story.codes().get(0), serial)) {
            regulator().queryParam("q", code).get("/console/api/search").then().statusCode(200)
                    .body("kind", hasItem("item")).body("title", hasItem(story.codes().get(0)));
        }
    }

    @Test
    void anItemsPageCountsItsConsumerScansAndTheCounterfeitSignalsAmongThem() {
        ConsoleStory.Told story = ConsoleStory.tell(production, 4);
        String made = story.codes().get(3);
        anonymous().accept("application/json").get(made.replaceFirst("^https?://[^/]+", "")).then().statusCode(200)
                .body("verdict", equalTo("genuine"));
        scanLog.flush();
        regulator().queryParam("code", made).get("/console/items").then().statusCode(200)
                .body(containsString("<p id=\"scans\">1 scan(s): genuine 1.</p>"));
        // A code of a leaked list, printed on fakes: issued, never commissioned.
        long batch = Api.batch();
        asAdmin().body(Map.of("count", 1)).post("/api/batches/" + batch + "/codes").then().statusCode(201);
        String leaked = asAdmin().get("/api/batches/" + batch + "/codes").then().statusCode(200).extract().jsonPath()
                .getString("items[0].uri");
        for (int i = 0; i < 2; i++) {
            anonymous().accept("application/json").get(leaked.replaceFirst("^https?://[^/]+", "")).then()
                    .statusCode(200).body("verdict", equalTo("not_in_circulation"));
        }
        scanLog.flush();
        regulator().queryParam("code", leaked).get("/console/items").then().statusCode(200)
                .body(containsString("<p id=\"scans\">2 scan(s), <strong class=\"signal\">2 counterfeit signal(s)</strong>:"
                        + " not_in_circulation 2.</p>"));
    }

    @Test
    void searchRefusesBadInputNamingItAndOtherRoles() {
        regulator().queryParam("q", " ").get("/console/api/search").then().statusCode(400).contentType(PROBLEM)
                .body("violations[0].field", equalTo("q"));
        regulator().queryParam("q", "x").queryParam("kind", "planet").get("/console/api/search").then()
                .statusCode(400).body("violations[0].field", equalTo("kind"));
        regulator().queryParam("q", "https://id.example.com/01/09506000134352/21/NOSUCHSERIAL9")
                .get("/console/api/search").then().statusCode(404).contentType(PROBLEM);
        ConsoleSession.as("console-partner", Api.user("console-partner", Roles.PARTNER))
                .get("/console/api/search?q=x").then().statusCode(403).contentType(PROBLEM);
        ConsoleSession.as("console-operator", Api.user("console-operator", Roles.OPERATOR))
                .get("/console/api/search?q=x").then().statusCode(403).contentType(PROBLEM);
    }

    @Test
    void aBatchCountsItsItemsByPlaceAndState() {
        ConsoleStory.Told story = ConsoleStory.tell(production, 5);
        JsonPath counts = regulator().get("/console/api/batches/" + story.batchId() + "/counts").then()
                .statusCode(200).body("recall", nullValue()).extract().jsonPath();
        assertEquals(5, counts.getInt("items"));
        assertEquals(Map.of("retail_sold", 1, "in_progress", 2, "active", 2), bars(counts, "byState"));
        assertEquals(2, bars(counts, "bySite").get(story.shopName()));
        assertEquals(1, bars(counts, "bySite").get(story.warehouseName()));
    }

    @Test
    void aRecallNeedsAReasonThenShowsItsProgress() {
        ConsoleStory.Told story = ConsoleStory.tell(production, 5);
        String recall = "/console/api/batches/" + story.batchId() + "/recall";
        regulator().body(Map.of("reason", "  ")).post(recall).then().statusCode(400).contentType(PROBLEM)
                .body("violations[0].field", equalTo("reason"));
        regulator().body("{\"reason\": 7").post(recall).then().statusCode(400).contentType(PROBLEM);
        regulator().body(Map.of("reason", "x")).post("/console/api/batches/987654321/recall").then().statusCode(404)
                .contentType(PROBLEM);
        ConsoleSession.as("console-partner", Api.user("console-partner", Roles.PARTNER))
                .body(Map.of("reason", "x")).post(recall).then().statusCode(403);
        regulator().get("/console/api/batches/" + story.batchId() + "/counts").then().body("recall", nullValue());

        regulator().body(Map.of("reason", "Glass splinters found in lot")).post(recall).then().statusCode(201)
                .body("disposition", equalTo("recalled"));
        // The warehouse takes back the item it still holds; the shop destroys the one it did not sell.
        ConsoleStory.move("receive", Map.of("site", Map.of("siteId", story.warehouse()),
                "epcs", List.of(story.codes().get(2))));
        ConsoleStory.move("destroy", Map.of("site", Map.of("siteId", story.shop()),
                "epcs", List.of(story.codes().get(1))));
        JsonPath progress = regulator().get("/console/api/batches/" + story.batchId() + "/counts").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(List.of("Glass splinters found in lot"), progress.getList("recall.reasons"));
        assertEquals(5, progress.getInt("recall.recalled"));
        assertEquals(5, progress.getInt("recall.located"));
        assertEquals(1, progress.getInt("recall.sold"));
        assertEquals(2, progress.getInt("recall.returned"));
        // The reason is in the ledger, on the recall event every item of the lot inherits.
        asAdmin().get("/api/trace/" + story.codes().get(4).substring(story.codes().get(4).lastIndexOf('/') + 1)
                + "/evidence").then().statusCode(200)
                .body("epcisBody.eventList.find { it.disposition == 'recalled' }.'tracemark:recallReason'",
                        equalTo("Glass splinters found in lot"));
    }

    @Test
    void onlyARecallSaysWhy() {
        ConsoleStory.Told story = ConsoleStory.tell(production, 4);
        asAdmin().body(Map.of("requestId", "console-reason-" + System.nanoTime(), "site", Map.of("siteId",
                story.warehouse()), "epcs", List.of(story.codes().get(3)), "reason", "no"))
                .post("/api/movements/receive").then().statusCode(400).contentType(PROBLEM)
                .body("violations[0].field", equalTo("reason"));
    }

    @Test
    void aBatchsEvidenceIsOneEpcisDocumentWithEachEventOnce() {
        ConsoleStory.Told story = ConsoleStory.tell(production, 4);
        JsonPath document = regulator().get("/console/api/batches/" + story.batchId() + "/evidence.jsonld").then()
                .statusCode(200).extract().jsonPath();
        assertEquals("EPCISDocument", document.getString("type"));
        List<String> ids = document.getList("epcisBody.eventList.eventID");
        Set<String> distinct = new HashSet<>(ids);
        assertEquals(ids.size(), distinct.size(), "an event written twice: " + ids);
        // commissioning, pack, ship, receive and unpack of the case, ship, receive, sell: 8 events.
        assertEquals(8, ids.size(), ids.toString());
        asAdmin().get("/api/trace/batches/" + story.batchId() + "/evidence").then().statusCode(200)
                .body("epcisBody.eventList.size()", equalTo(8));
        Api.as("console-partner", Api.user("console-partner", Roles.PARTNER))
                .get("/api/trace/batches/" + story.batchId() + "/evidence").then().statusCode(403);
    }

    @Test
    void theLineViewsRunsAreForOperatorsAndAdmins() {
        ConsoleSession.as("console-operator", Api.user("console-operator", Roles.OPERATOR))
                .get("/console/api/marking-runs").then().statusCode(200);
        regulator().get("/console/api/marking-runs").then().statusCode(403).contentType(PROBLEM);
        regulator().get("/console/api/marking-runs/live").then().statusCode(403).contentType(PROBLEM);
    }

    private static Map<String, Integer> bars(JsonPath counts, String chart) {
        Map<String, Integer> bars = new java.util.HashMap<>();
        List<Map<String, Object>> list = counts.getList(chart);
        list.forEach(bar -> bars.put((String) bar.get("label"), ((Number) bar.get("count")).intValue()));
        return bars;
    }
}
