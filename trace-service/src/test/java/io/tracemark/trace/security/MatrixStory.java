package io.tracemark.trace.security;

import static io.tracemark.trace.Api.NUMBERS;
import static io.tracemark.trace.Api.as;
import static io.tracemark.trace.Api.asAdmin;
import static io.tracemark.trace.Api.asStation;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.tracemark.fixtures.Gs1Numbers;
import io.tracemark.trace.Api;
import io.tracemark.trace.gs1.EpcIdentifier;
import io.tracemark.trace.movement.Production;
import io.tracemark.trace.security.AccessMatrix.Caller;

/**
 * The world every cell of the access matrix acts on: a factory with a line, a batch and its
 * commissioned items, a partner's shop that received some of them, a second shop with a partner
 * of its own, a line of another factory with its own station key, and a user of each role.
 */
final class MatrixStory {

    /**
     * What a caller acts on: the factory's data (its line, batch, items and events) or the partner
     * shop's (an item it received and the events at the shop).
     */
    record Home(String name, long siteId, String gln, long lineId, long batchId, String code, String gtin,
            String serial, String eventId, String captureId) {

        /** The item as GS1's canonical Digital Link, as EPCIS names it. */
        String epc() {
            return EpcIdentifier.CANONICAL_BASE + "/01/" + gtin + "/21/" + serial;
        }

        String location() {
            return new EpcIdentifier("414", gln, null, null).canonical();
        }
    }

    static final String OPERATOR = "matrix.operator";
    static final String REGULATOR = "matrix.regulator";
    static final String PARTNER = "matrix.partner";
    static final String OTHER_PARTNER = "matrix.other-partner";
    /** A serial marker on the line's PC: configured, so that its configuration can be read. */
    static final Map<String, Object> MARKER = Map.of("dialect", "ascii", "job", "BOTTLE",
            "transport", Map.of("type", "serial", "port", "/dev/ttyUSB0"));
    private static final AtomicLong FRESH = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    final Map<String, String> passwords = new HashMap<>();
    final Production.Lot lot;
    final long productId;
    final String productGtin;
    final long spareSiteId;
    final String spareSiteGln;
    final long spareLineId;
    final long sparePartnerId;
    final String stationKey;
    final String otherStationKey;
    final String sscc;
    final Home factory;
    final Home shop;
    private final Deque<String> items;
    private Long run;

    MatrixStory(Production production) {
        for (String[] user : new String[][] { { OPERATOR, "operator" }, { REGULATOR, "regulator" },
                { PARTNER, "partner" }, { OTHER_PARTNER, "partner" } }) {
            passwords.put(user[0], Api.user(user[0], user[1]));
        }
        lot = production.commissioned(80);
        production.end(lot);
        JsonPath batch = asAdmin().get("/api/batches/" + lot.batchId()).then().statusCode(200).extract().jsonPath();
        long lineId = batch.getLong("lineId");
        productId = batch.getLong("productId");
        productGtin = asAdmin().get("/api/products/" + productId).then().statusCode(200).extract().jsonPath()
                .getString("gtin");
        asAdmin().body(Map.of("count", 50)).post("/api/batches/" + lot.batchId() + "/codes").then().statusCode(201);
        asAdmin().body(MARKER).put("/api/lines/" + lineId + "/marker").then().statusCode(200);
        stationKey = Api.stationKey(lineId);
        otherStationKey = Api.stationKey(Api.line(Api.factory()));
        spareLineId = Api.line(lot.siteId());

        long shopId = site("retailer");
        long otherShopId = site("retailer");
        spareSiteGln = NUMBERS.gln();
        spareSiteId = asAdmin().body(Map.of("gln", spareSiteGln, "name", "Spare shop", "role", "retailer"))
                .post("/api/sites").then().statusCode(201).extract().jsonPath().getLong("id");
        assign(userId(PARTNER), shopId);
        assign(userId(OTHER_PARTNER), otherShopId);
        sparePartnerId = userId(passwordOf("matrix.spare-partner", "partner"));

        items = new ArrayDeque<>(lot.codes());
        String factoryItem = items.pop();
        String shopItem = items.pop();
        sscc = sscc();
        movement(asAdmin(), "pack", Map.of("site", Map.of("siteId", lot.siteId()), "parent", sscc,
                "epcs", List.of(factoryItem)));
        movement(asAdmin(), "ship", Map.of("from", Map.of("siteId", lot.siteId()), "to", Map.of("siteId", shopId),
                "epcs", List.of(shopItem)));
        String received = movement(asAdmin(), "receive", Map.of("site", Map.of("siteId", shopId),
                "from", Map.of("siteId", lot.siteId()), "epcs", List.of(shopItem)));
        String gtin = lot.gtin();
        String factoryEvent = asAdmin().urlEncodingEnabled(false)
                .get("/epcis/epcs/" + MatrixRoutes.encoded(canonical(gtin, factoryItem)) + "/events").then()
                .statusCode(200).extract().jsonPath().getString("epcisBody.queryResults.resultsBody.eventList[0].eventID");
        Home factoryHome = new Home("factory", lot.siteId(), lot.gln(), lineId, lot.batchId(), factoryItem, gtin,
                serialOf(factoryItem), factoryEvent, null);
        Home shopHome = new Home("shop", shopId, glnOf(shopId), lineId, lot.batchId(), shopItem, gtin,
                serialOf(shopItem), received, null);
        factory = withCapture(factoryHome, asStation(stationKey));
        shop = withCapture(shopHome, as(PARTNER, passwords.get(PARTNER)));
    }

    /** Where a caller acts: partners at their shop, stations at their line's factory, the rest as the route says. */
    Home home(Caller caller, boolean atShop) {
        return switch (caller) {
            case PARTNER, OTHER_PARTNER -> shop;
            case STATION, OTHER_STATION -> factory;
            default -> atShop ? shop : factory;
        };
    }

    /** A commissioned item of the factory that no cell has touched yet. */
    String freshItem() {
        if (items.isEmpty()) {
            throw new IllegalStateException("The story's lot has no untouched item left: commission more");
        }
        return items.pop();
    }

    static String fresh(String prefix) {
        return prefix + FRESH.incrementAndGet();
    }

    static String sscc() {
        return Gs1Numbers.withCheckDigit("0950600" + String.format("%010d", FRESH.incrementAndGet() % 10_000_000_000L));
    }

    /** The active marking run of the factory's line, started when none is. */
    long run() {
        if (run == null) {
            run = asAdmin().body(Map.of("batchId", factory.batchId(), "count", 5, "driver", "agent"))
                    .post("/api/marking-runs").then().statusCode(201).extract().jsonPath().getLong("id");
        }
        return run;
    }

    /** A new run on the factory's line, the previous one stopped, so that a cell's change of state is its own. */
    long freshRun() {
        if (run != null) {
            // The agent's final status ends an agent run and frees the line, whatever a cell did to it.
            asAdmin().body(Map.of("state", "FINISHED")).put("/api/marking-runs/" + run + "/station-status");
            run = null;
        }
        return run();
    }

    /** A run that has sent one code to the line, and that code. */
    String claimed(long runId) {
        return asAdmin().body(Map.of("requestId", fresh("claim-"), "count", 1)).post("/api/marking-runs/" + runId + "/claims")
                .then().statusCode(200).extract().jsonPath().getString("codes[0].id");
    }

    long freshKey() {
        return asAdmin().body(Map.of("label", "spare station PC")).post("/api/lines/" + factory.lineId() + "/keys")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /** A case packed at the home's site with a fresh item in it, for a cell to unpack. */
    String packedCase(Home home) {
        String parent = sscc();
        movement(asAdmin(), "pack", Map.of("site", Map.of("siteId", home.siteId()), "parent", parent,
                "epcs", List.of(freshItem())));
        return parent;
    }

    /** The user name a caller signs in with; stations and the public have none. */
    static String userOf(Caller caller) {
        return switch (caller) {
            case ADMIN -> "admin";
            case OPERATOR -> OPERATOR;
            case REGULATOR -> REGULATOR;
            case PARTNER -> PARTNER;
            case OTHER_PARTNER -> OTHER_PARTNER;
            default -> null;
        };
    }

    String passwordOf(Caller caller) {
        return caller == Caller.ADMIN ? Api.ADMIN_PASSWORD : passwords.getOrDefault(userOf(caller), "no-password-at-all");
    }

    void changePasswordBack(Caller caller) {
        String changed = passwordOf(caller) + "-changed";
        as(userOf(caller), changed).body(Map.of("currentPassword", changed, "newPassword", passwordOf(caller)))
                .put("/api/me/password").then().statusCode(204);
    }

    static String movement(RequestSpecification who, String operation, Map<String, Object> fields) {
        Map<String, Object> body = new HashMap<>(fields);
        body.put("requestId", fresh("matrix-"));
        return who.body(body).post("/api/movements/" + operation).then().statusCode(201).extract().jsonPath()
                .getString("eventId");
    }

    private Home withCapture(Home home, RequestSpecification who) {
        String location = who.body(MatrixRoutes.captureDocument(home)).post("/epcis/capture").then().statusCode(202)
                .extract().header("Location");
        return new Home(home.name(), home.siteId(), home.gln(), home.lineId(), home.batchId(), home.code(),
                home.gtin(), home.serial(), home.eventId(), location.substring(location.lastIndexOf('/') + 1));
    }

    private String passwordOf(String user, String role) {
        passwords.put(user, Api.user(user, role));
        return user;
    }

    private static long userId(String username) {
        List<Map<String, Object>> users = asAdmin().get("/api/users").then().statusCode(200).extract().jsonPath()
                .getList("$");
        return users.stream().filter(user -> username.equals(user.get("username")))
                .map(user -> ((Number) user.get("id")).longValue()).findFirst().orElseThrow();
    }

    private static void assign(long userId, long siteId) {
        asAdmin().body(Map.of("siteIds", List.of(siteId))).put("/api/users/" + userId + "/sites").then().statusCode(200);
    }

    private static long site(String role) {
        return asAdmin().body(Map.of("gln", NUMBERS.gln(), "name", "Shop " + fresh(""), "role", role))
                .post("/api/sites").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private static String glnOf(long site) {
        return asAdmin().get("/api/sites/" + site).then().statusCode(200).extract().jsonPath().getString("gln");
    }

    private static String serialOf(String code) {
        return code.substring(code.lastIndexOf("/21/") + 4);
    }

    private static String canonical(String gtin, String code) {
        return EpcIdentifier.CANONICAL_BASE + "/01/" + gtin + "/21/" + serialOf(code);
    }
}
