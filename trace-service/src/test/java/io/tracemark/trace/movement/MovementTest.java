package io.tracemark.trace.movement;

import static io.tracemark.trace.Api.NUMBERS;
import static io.tracemark.trace.Api.as;
import static io.tracemark.trace.Api.asAdmin;
import static io.tracemark.trace.movement.Production.eventsSince;
import static io.tracemark.trace.movement.Production.now;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.tracemark.trace.input.Idempotency;
import io.tracemark.fixtures.Gs1Numbers;
import io.tracemark.trace.Api;

/**
 * Stations and partners report what happens to items after production under /api/movements:
 * each operation becomes one standard EPCIS event, once per request id.
 */
@QuarkusTest
class MovementTest {

    private static final AtomicLong SSCC_REFS = new AtomicLong(System.nanoTime() % 1_000_000_000L);
    private static final AtomicLong REQUESTS = new AtomicLong();

    @Inject
    Production production;

    /** A fresh SSCC-18: extension 0, company prefix 950600, a serial reference, check digit. */
    private static String sscc() {
        return Gs1Numbers.withCheckDigit("0950600" + String.format("%010d", SSCC_REFS.incrementAndGet()));
    }

    private static String requestId() {
        return "req-" + System.nanoTime() + "-" + REQUESTS.incrementAndGet();
    }

    private static long site(String role) {
        return asAdmin().body(Map.of("gln", NUMBERS.gln(), "name", "A " + role, "role", role)).post("/api/sites")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private static String glnOf(long site) {
        return asAdmin().get("/api/sites/" + site).then().statusCode(200).extract().jsonPath().getString("gln");
    }

    /** A partner user reporting for the given sites, and its password. */
    private static String partner(String name, Long... sites) {
        String password = "pw-" + name + "-0123456789";
        long id = asAdmin().body(Map.of("username", name, "password", password, "roles", List.of("partner")))
                .post("/api/users").then().statusCode(201).extract().jsonPath().getLong("id");
        asAdmin().body(Map.of("siteIds", List.of(sites))).put("/api/users/" + id + "/sites").then().statusCode(200)
                .body("siteIds", hasSize(sites.length));
        return password;
    }

    private static Map<String, Object> body(Object... pairs) {
        Map<String, Object> map = new HashMap<>();
        map.put("requestId", requestId());
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private static Map<String, Object> siteId(long id) {
        return Map.of("siteId", id);
    }

    private static ValidatableResponse post(RequestSpecification who, String operation, Map<String, Object> body) {
        return who.body(body).post("/api/movements/" + operation).then();
    }

    private static JsonPath event(String eventId) {
        return asAdmin().get("/epcis/events/" + eventId).then().statusCode(200).extract().jsonPath()
                .setRootPath("epcisBody.queryResults.resultsBody.eventList[0]");
    }

    /** Refused with the given status, naming the field, and nothing stored. */
    private static void refused(RequestSpecification who, String operation, Map<String, Object> body, int status,
            String field) {
        OffsetDateTime before = now();
        ValidatableResponse response = post(who, operation, body).statusCode(status)
                .contentType("application/problem+json");
        if (field != null) {
            response.body("violations.field", hasItem(field));
        }
        assertEquals(0, eventsSince(before), "nothing is stored");
    }

    // --- the operations, one event each ------------------------------------------------------------

    @Test
    void packingItemsIntoACaseIsAnAggregationEventAtTheSite() {
        Production.Lot lot = production.commissioned(3);
        String sscc = sscc();

        String eventId = post(asAdmin(), "pack", body("site", siteId(lot.siteId()), "parent", sscc, "epcs", lot.codes()))
                .statusCode(201)
                .body("operation", equalTo("pack"))
                .body("eventType", equalTo("AggregationEvent"))
                .body("action", equalTo("ADD"))
                .body("bizStep", equalTo("packing"))
                .body("parentId", equalTo("https://id.gs1.org/00/" + sscc))
                .body("epcs", hasSize(3))
                .extract().jsonPath().getString("eventId");

        JsonPath event = event(eventId);
        assertEquals("https://id.gs1.org/00/" + sscc, event.getString("parentID"));
        assertEquals("https://id.gs1.org/414/" + lot.gln(), event.getString("bizLocation.id"));
        assertEquals(3, event.getList("childEPCs").size());
    }

    @Test
    void casesArePackedOntoAPalletAndUnpackedAgain() {
        Production.Lot lot = production.commissioned(2);
        String caseA = sscc();
        String pallet = sscc();
        post(asAdmin(), "pack", body("site", siteId(lot.siteId()), "parent", caseA, "epcs", lot.codes()))
                .statusCode(201);
        post(asAdmin(), "pack", body("site", siteId(lot.siteId()), "parent", pallet, "epcs", List.of(caseA)))
                .statusCode(201).body("epcs", contains("https://id.gs1.org/00/" + caseA));

        post(asAdmin(), "unpack", body("site", siteId(lot.siteId()), "parent", pallet, "epcs", List.of(caseA)))
                .statusCode(201).body("eventType", equalTo("AggregationEvent")).body("action", equalTo("DELETE"))
                .body("bizStep", equalTo("unpacking"));
    }

    @Test
    void shippingAPalletRecordsSourceAndDestinationAndReceivingAndSellingFollow() {
        Production.Lot lot = production.commissioned(2);
        long shop = site("retailer");
        String pallet = sscc();
        post(asAdmin(), "pack", body("site", siteId(lot.siteId()), "parent", pallet, "epcs", lot.codes()))
                .statusCode(201);

        String shipped = post(asAdmin(), "ship", body("from", siteId(lot.siteId()), "to", Map.of("gln", glnOf(shop)),
                "epcs", List.of(pallet)))
                .statusCode(201).body("eventType", equalTo("ObjectEvent")).body("action", equalTo("OBSERVE"))
                .body("bizStep", equalTo("shipping")).body("disposition", equalTo("in_transit"))
                .extract().jsonPath().getString("eventId");
        JsonPath shipping = event(shipped);
        assertEquals(List.of("https://id.gs1.org/00/" + pallet), shipping.getList("epcList"));
        assertEquals(List.of("owning_party", "location"), shipping.getList("sourceList.type"));
        assertEquals(List.of("https://id.gs1.org/417/" + lot.gln(), "https://id.gs1.org/414/" + lot.gln()),
                shipping.getList("sourceList.source"));
        assertEquals(List.of("https://id.gs1.org/417/" + glnOf(shop), "https://id.gs1.org/414/" + glnOf(shop)),
                shipping.getList("destinationList.destination"));

        String username = "shop-" + System.nanoTime();
        String password = partner(username, shop);
        post(as(username, password), "receive", body("site", siteId(shop), "from", siteId(lot.siteId()),
                "epcs", List.of(pallet)))
                .statusCode(201).body("bizStep", equalTo("receiving")).body("disposition", equalTo("in_progress"));
        post(as(username, password), "unpack", body("site", siteId(shop), "parent", pallet)).statusCode(201)
                .body("epcs", hasSize(0));

        String sold = post(as(username, password), "sell", body("site", siteId(shop), "epcs", List.of(lot.codes().get(0)),
                "receipt", Map.of("type", "pos", "reference", "R-2026-000123")))
                .statusCode(201).body("bizStep", equalTo("retail_selling")).body("disposition", equalTo("retail_sold"))
                .extract().jsonPath().getString("eventId");
        JsonPath sale = event(sold);
        assertEquals("urn:tracemark:btt:pos", sale.getString("bizTransactionList[0].type"));
        assertEquals("urn:tracemark:bt:" + glnOf(shop) + ":pos:R-2026-000123",
                sale.getString("bizTransactionList[0].bizTransaction"));
    }

    @Test
    void aRegulatorRecallsABatchWithOneEventForItsLot() {
        Production.Lot lot = production.commissioned(2);
        String regulator = "regulator-" + System.nanoTime();
        String password = Api.user(regulator, "regulator");

        String recalled = post(as(regulator, password), "recall", body("batchId", lot.batchId())).statusCode(201)
                .body("disposition", equalTo("recalled"))
                .body("epcClass", equalTo("https://id.gs1.org/01/" + lot.gtin() + "/10/" + lot.lot()))
                .extract().jsonPath().getString("eventId");
        assertEquals("https://id.gs1.org/01/" + lot.gtin() + "/10/" + lot.lot(),
                event(recalled).getString("quantityList[0].epcClass"));

        refused(as(regulator, password), "recall", body("batchId", 999_999_999L), 400, "batchId");
        String partnerName = "recalling-partner-" + System.nanoTime();
        String partner = partner(partnerName);
        post(as(partnerName, partner), "recall",
                body("batchId", lot.batchId())).statusCode(403);
    }

    @Test
    void decommissionedAndDestroyedItemsAreDeleteEvents() {
        Production.Lot lot = production.commissioned(2);
        post(asAdmin(), "decommission", body("site", siteId(lot.siteId()), "epcs", List.of(lot.codes().get(0))))
                .statusCode(201).body("action", equalTo("DELETE")).body("bizStep", equalTo("decommissioning"))
                .body("disposition", equalTo("inactive"));
        post(asAdmin(), "destroy", body("site", siteId(lot.siteId()), "epcs", List.of(lot.codes().get(1))))
                .statusCode(201).body("action", equalTo("DELETE")).body("bizStep", equalTo("destroying"))
                .body("disposition", equalTo("destroyed"));
    }

    // --- idempotency ------------------------------------------------------------------------------

    @Test
    void theSameRequestIdAnswersTheSameAndStoresNothingNew() {
        Production.Lot lot = production.commissioned(2);
        Map<String, Object> pack = body("site", siteId(lot.siteId()), "parent", sscc(), "epcs", lot.codes());
        OffsetDateTime before = now();
        String first = post(asAdmin(), "pack", pack).statusCode(201).header(Idempotency.REPLAYED, "false")
                .extract().asString();

        String again = post(asAdmin(), "pack", pack).statusCode(201).header(Idempotency.REPLAYED, "true")
                .extract().asString();

        assertEquals(first, again);
        assertEquals(1, eventsSince(before));
    }

    @Test
    void twoRequestsWithTheSameIdAtOnceStoreOneEventAndGetTheSameAnswer() throws Exception {
        Production.Lot lot = production.commissioned(2);
        Map<String, Object> ship = body("from", siteId(lot.siteId()), "to", siteId(site("warehouse")), "epcs",
                lot.codes());
        OffsetDateTime before = now();
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try {
            List<Future<String>> answers = clients.invokeAll(List.<Callable<String>>of(
                    () -> post(asAdmin(), "ship", ship).statusCode(201).extract().asString(),
                    () -> post(asAdmin(), "ship", ship).statusCode(201).extract().asString()));
            assertEquals(answers.get(0).get(), answers.get(1).get());
        } finally {
            clients.shutdownNow();
        }
        assertEquals(1, eventsSince(before));
    }

    @Test
    void theSameRequestIdWithAnotherBodyIsAConflict() {
        Production.Lot lot = production.commissioned(2);
        Map<String, Object> pack = body("site", siteId(lot.siteId()), "parent", sscc(), "epcs", lot.codes());
        post(asAdmin(), "pack", pack).statusCode(201);

        Map<String, Object> other = new HashMap<>(pack);
        other.put("parent", sscc());
        refused(asAdmin(), "pack", other, 409, null);
        Map<String, Object> ship = body("from", siteId(lot.siteId()), "to", siteId(site("warehouse")), "epcs",
                lot.codes());
        ship.put("requestId", pack.get("requestId"));
        refused(asAdmin(), "ship", ship, 409, null);
    }

    // --- bad input: named, and nothing stored --------------------------------------------------------

    @Test
    void badInputIsNamedAndNothingIsStored() {
        Production.Lot lot = production.commissioned(2);
        Map<String, Object> at = siteId(lot.siteId());
        String sscc = sscc();

        refused(asAdmin(), "pack", body("site", at, "parent", Gs1Numbers.breakCheckDigit(sscc), "epcs", lot.codes()),
                400, "parent");
        refused(asAdmin(), "pack", body("site", at, "parent", lot.codes().get(0), "epcs", List.of(lot.codes().get(1))),
                400, "parent");
        refused(asAdmin(), "pack", body("site", at, "parent", sscc), 400, "epcs");
        refused(asAdmin(), "pack", body("parent", sscc, "epcs", lot.codes()), 400, "site");
        refused(asAdmin(), "pack", body("site", siteId(999_999_999L), "parent", sscc, "epcs", lot.codes()), 400,
                "site.siteId");
        refused(asAdmin(), "pack", body("site", Map.of("gln", Gs1Numbers.breakCheckDigit(lot.gln())), "parent", sscc,
                "epcs", lot.codes()), 400, "site.gln");
        refused(asAdmin(), "pack", body("site", at, "parent", sscc, "epcs", List.of(lot.codes().get(0), "not a code")),
                400, "epcs[1]");
        refused(asAdmin(), "pack", body("site", at, "parent", sscc, "epcs", List.of(lot.codes().get(0),
                lot.codes().get(0))), 400, "epcs[1]");
        refused(asAdmin(), "ship", body("from", at, "to", at, "epcs", lot.codes()), 400, "to");
        refused(asAdmin(), "ship", body("from", at, "epcs", lot.codes()), 400, null);
        refused(asAdmin(), "sell", body("site", at, "epcs", lot.codes()), 400, "receipt");
        refused(asAdmin(), "sell", body("site", at, "epcs", lot.codes(), "receipt",
                Map.of("type", "cash", "reference", "R1")), 400, "receipt.type");
        refused(asAdmin(), "pack", body("requestId", "with spaces", "site", at, "parent", sscc, "epcs", lot.codes()),
                400, null);
    }

    @Test
    void packingOrShippingACodeNeverCommissionedIsAConflictNamingIt() {
        Production.Lot made = production.commissioned(1);
        Production.Lot onTheLine = production.sent(1);
        List<String> codes = List.of(made.codes().get(0), onTheLine.codes().get(0));

        refused(asAdmin(), "pack", body("site", siteId(made.siteId()), "parent", sscc(), "epcs", codes), 409,
                "epcs[1]");
        refused(asAdmin(), "ship", body("from", siteId(made.siteId()), "to", siteId(site("warehouse")), "epcs", codes),
                409, "epcs[1]");
        post(asAdmin(), "ship", body("from", siteId(made.siteId()), "to", siteId(site("warehouse")), "epcs", codes))
                .body("detail", containsString("never commissioned"));
    }

    // --- who reports for which site -------------------------------------------------------------------

    @Test
    void aPartnerReportsOnlyForItsOwnSites() {
        Production.Lot lot = production.commissioned(2);
        long own = site("warehouse");
        long foreign = site("warehouse");
        String name = "warehouse-" + System.nanoTime();
        String password = partner(name, own);

        refused(as(name, password), "receive", body("site", siteId(foreign), "epcs", lot.codes()), 403, null);
        refused(as(name, password), "ship", body("from", siteId(foreign), "to", siteId(own), "epcs", lot.codes()), 403,
                null);
        post(as(name, password), "receive", body("site", siteId(own), "epcs", lot.codes())).statusCode(201);
        post(as(name, password), "ship", body("from", siteId(own), "to", siteId(foreign), "epcs", lot.codes()))
                .statusCode(201);
    }

    @Test
    void adminsSetThePartnersSites() {
        long site = site("distributor");
        String name = "distributor-" + System.nanoTime();
        String password = "pw-" + name + "-0123456789";
        long id = asAdmin().body(Map.of("username", name, "password", password, "roles", List.of("partner")))
                .post("/api/users").then().statusCode(201).extract().jsonPath().getLong("id");

        asAdmin().body(Map.of("siteIds", List.of(site))).put("/api/users/" + id + "/sites").then().statusCode(200)
                .body("siteIds", contains((int) site));
        asAdmin().get("/api/users/" + id + "/sites").then().statusCode(200).body("siteIds", contains((int) site));
        asAdmin().body(Map.of("siteIds", List.of(site, 999_999_999L))).put("/api/users/" + id + "/sites").then()
                .statusCode(400).body("violations.field", contains("siteIds[1]"));
        as(name, password).body(Map.of("siteIds", List.of(site))).put("/api/users/" + id + "/sites").then()
                .statusCode(403);
        long regulator = asAdmin().body(Map.of("username", "reg-" + name, "password", password, "roles",
                List.of("regulator"))).post("/api/users").then().statusCode(201).extract().jsonPath().getLong("id");
        asAdmin().body(Map.of("siteIds", List.of(site))).put("/api/users/" + regulator + "/sites").then()
                .statusCode(400);
    }

    @Test
    void aStationPacksAtItsOwnLinesFactoryOnly() {
        Production.Lot lot = production.commissioned(2);
        long line = Api.lineOfBatch(lot.batchId());
        String key = Api.stationKey(line);

        post(Api.asStation(key), "pack", body("site", siteId(lot.siteId()), "parent", sscc(), "epcs", lot.codes()))
                .statusCode(201);
        refused(Api.asStation(key), "pack", body("site", siteId(site("warehouse")), "parent", sscc(), "epcs",
                lot.codes()), 403, null);
        refused(Api.asStation(key), "sell", body("site", siteId(lot.siteId()), "epcs", lot.codes(), "receipt",
                Map.of("type", "pos", "reference", "R1")), 403, null);
    }
}
