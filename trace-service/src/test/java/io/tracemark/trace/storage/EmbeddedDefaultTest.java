package io.tracemark.trace.storage;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.tracemark.trace.Api;
import io.tracemark.trace.security.AppUser;
import io.tracemark.trace.roles.Roles;
import io.tracemark.trace.security.Credentials;

/**
 * The zero-install default: no database server, no key and no password configured. The service
 * must create its H2 file database, its serial key and a first administrator by itself.
 */
@QuarkusTest
@TestProfile(EmbeddedDatabase.FirstStart.class)
class EmbeddedDefaultTest {

    static final Path DATA = EmbeddedDatabase.FirstStart.DATA;

    static final String OPERATOR_PASSWORD = "embedded-operator-pw";

    @Inject
    Storage storage;

    @Inject
    EntityManager em;

    private static RequestSpecification operator() {
        return Api.as("operator", OPERATOR_PASSWORD);
    }

    @Test
    void runsOnAnEmbeddedFileDatabaseItCreatedItself() throws Exception {
        assertEquals(StorageKind.EMBEDDED, storage.kind());
        assertTrue(Files.exists(DATA.resolve("tracemark.mv.db")), "H2 database file in the data folder");
        Path key = DATA.resolve("serial.key");
        assertTrue(Files.exists(key), "generated serial key in the data folder");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    }

    /**
     * Nobody but the service's own user reads the data folder: the folder is 0700 and every file the
     * service and its database wrote there is 0600, whatever the umask, after writes and a checkpoint.
     */
    @Test
    void keepsTheDataFolderAndEveryFileInItToItsOwner() throws Exception {
        addOperator("permissions-clerk");
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("checkpoint").executeUpdate());

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(DATA)));
        try (Stream<Path> files = Files.walk(DATA)) {
            for (Path file : files.toList()) {
                String expected = Files.isDirectory(file) ? "rwx------" : "rw-------";
                assertEquals(expected, PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
            }
        }
    }

    private static RequestSpecification addOperator(String username) {
        return addUser(username, "operator");
    }

    private static RequestSpecification addUser(String username, String role) {
        QuarkusTransaction.requiringNew().run(() -> {
            AppUser clerk = new AppUser();
            clerk.username = username;
            clerk.passwordHash = Credentials.hashPassword(OPERATOR_PASSWORD);
            clerk.roles = role;
            clerk.createdAt = java.time.OffsetDateTime.now();
            clerk.persist();
        });
        return Api.as(username, OPERATOR_PASSWORD);
    }

    /** The database file holds the encrypted form of a marker's MQTT password, never the password. */
    @Test
    void keepsMarkerPasswordsOutOfTheDatabaseFile() throws Exception {
        RequestSpecification clerk = addOperator("secrets-clerk");
        long site = clerk.body(Map.of("gln", Api.NUMBERS.gln(), "name", "Factory", "role", "factory"))
                .post("/api/sites").then().statusCode(201).extract().jsonPath().getLong("id");
        long line = Api.as("secrets-clerk", OPERATOR_PASSWORD).body(Map.of("code", "P1", "name", "Line")).post("/api/sites/" + site + "/lines")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        String password = "mqtt-password-in-the-clear-" + line;
        Api.as("secrets-clerk", OPERATOR_PASSWORD).body(Map.of("dialect", "mqtt", "job", "JOB", "transport", Map.of("type", "mqtt",
                "brokerUrl", "tcp://127.0.0.1:1883", "username", "line-pc", "password", password)))
                .put("/api/lines/" + line + "/marker").then().statusCode(200).body("transport.passwordSet", equalTo(true));
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("checkpoint").executeUpdate());

        assertTrue(Files.exists(DATA.resolve("secrets.key")), "generated key for stored secrets in the data folder");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(DATA.resolve("secrets.key"))));
        byte[] file = Files.readAllBytes(DATA.resolve("tracemark.mv.db"));
        assertEquals(-1, new String(file, StandardCharsets.ISO_8859_1).indexOf(password), "no plaintext in the file");
    }

    @Test
    void keepsAGeneratedConsoleSessionKeyInTheDataFolderAndNeverLogsIt() throws Exception {
        Path key = DATA.resolve("session.key");
        assertTrue(Files.exists(key), "generated session key in the data folder");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        addUser("embedded-regulator", "regulator");
        String cookie = RestAssured.given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("j_username", "embedded-regulator").formParam("j_password", OPERATOR_PASSWORD)
                .post("/console/j_security_check").getCookie("quarkus-credential");
        RestAssured.given().redirects().follow(false).cookie("quarkus-credential", cookie).get("/console/")
                .then().statusCode(200);
        String log = Files.readString(DATA.resolve("service.log"));
        String secret = Files.readString(key).strip();
        assertTrue(log.contains("Serial key fingerprint"), "the log of this start was captured");
        assertTrue(!log.contains(secret), "the session key is not in the log");
        assertTrue(!log.toLowerCase().contains("temporary key"), "no key of the moment was made and printed");
    }

    @Test
    void createsAFirstAdministratorWithAGeneratedPassword() {
        // Other classes on this profile add users later; the first start made the first one.
        AppUser first = QuarkusTransaction.requiringNew().call(() -> AppUser.<AppUser>findAll(Sort.by("id")).firstResult());
        assertEquals("admin", first.username);
        assertEquals(java.util.Set.of(Roles.ADMIN), first.roleSet());
        assertTrue(first.passwordHash.startsWith("$2"), "stored as a bcrypt hash");
        RestAssured.given().auth().preemptive().basic("admin", Api.ADMIN_PASSWORD).get("/api/products")
                .then().statusCode(401);
    }

    @Test
    void allocatesAndChecksCodesOnTheEmbeddedDatabase() {
        QuarkusTransaction.requiringNew().run(() -> {
            AppUser operator = new AppUser();
            operator.username = "operator";
            operator.passwordHash = Credentials.hashPassword(OPERATOR_PASSWORD);
            operator.roles = "operator";
            operator.createdAt = java.time.OffsetDateTime.now();
            operator.persist();
        });
        long product = operator().body(Map.of("gtin", Api.NUMBERS.gtin13(), "name", "Embedded product"))
                .post("/api/products").then().statusCode(201).extract().jsonPath().getLong("id");
        long site = operator().body(Map.of("gln", Api.NUMBERS.gln(), "name", "Factory", "role", "factory"))
                .post("/api/sites").then().statusCode(201).extract().jsonPath().getLong("id");
        long line = operator().body(Map.of("code", "L1", "name", "Line")).post("/api/sites/" + site + "/lines")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        long batch = operator().body(Map.of("productId", product, "lot", "E1", "productionDate", "2026-11-23",
                "lineId", line, "plannedQuantity", 3000)).post("/api/batches")
                .then().statusCode(201).extract().jsonPath().getLong("id");

        operator().body(Map.of("count", 2500)).post("/api/batches/" + batch + "/codes").then().statusCode(201);
        String serial = operator().get("/api/batches/" + batch + "/codes?size=1&page=2499").then().statusCode(200)
                .body("total", equalTo(2500)).extract().jsonPath().getString("items[0].serial");
        operator().get("/api/codes/" + serial).then().statusCode(200).body("state", equalTo("ALLOCATED"));
        String csv = operator().accept("text/csv").get("/api/batches/" + batch + "/codes").then().statusCode(200)
                .extract().asString();
        assertEquals(2501, csv.lines().count());
        Api.anonymous().body(Map.of("code", serial)).post("/api/codes/check").then()
                .body("issuedByThisRegistry", equalTo(true));
    }

    @Test
    void capturesAndQueriesEpcisEventsOnTheEmbeddedDatabase() {
        QuarkusTransaction.requiringNew().run(() -> {
            AppUser partner = new AppUser();
            partner.username = "embedded-partner";
            partner.passwordHash = Credentials.hashPassword(OPERATOR_PASSWORD);
            partner.roles = "partner";
            partner.createdAt = java.time.OffsetDateTime.now();
            partner.persist();
        });
        java.util.function.Supplier<RequestSpecification> partner = () -> Api.as("embedded-partner", OPERATOR_PASSWORD);
        // The brand owner records at its own site; the partner then takes the site over and reads
        // what happened there (the read rules' SQL runs on H2 as it does on PostgreSQL).
        String gln = Api.NUMBERS.gln();
        long site = operator().body(Map.of("gln", gln, "name", "Warehouse", "role", "warehouse")).post("/api/sites")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        String gtin = "0" + Api.NUMBERS.gtin13();
        String item = "urn:epc:id:sgtin:" + gtin.substring(1, 7) + ".0" + gtin.substring(7, 13) + ".E1";
        String document = """
                {"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", {"example": "http://ns.example.com/epcis/"}],
                 "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2026-11-23T10:00:00Z",
                 "epcisBody": {"eventList": [
                   {"type": "ObjectEvent", "eventTime": "2026-11-23T09:00:00.000+01:00", "eventTimeZoneOffset": "+01:00",
                    "epcList": ["%1$s"], "action": "ADD", "bizStep": "commissioning", "example:shift": "night",
                    "readPoint": {"id": "https://id.gs1.org/414/%3$s"}},
                   {"type": "ObjectEvent", "eventTime": "2026-11-23T11:00:00.000+01:00", "eventTimeZoneOffset": "+01:00",
                    "epcList": ["%1$s"], "action": "OBSERVE", "bizStep": "shipping",
                    "readPoint": {"id": "https://id.gs1.org/414/%3$s/254/dock-2"}},
                   {"type": "ObjectEvent", "eventTime": "2026-11-23T12:00:00.000+01:00", "eventTimeZoneOffset": "+01:00",
                    "epcList": [], "action": "OBSERVE", "bizStep": "inspecting",
                    "readPoint": {"id": "https://id.gs1.org/414/%3$s"},
                    "quantityList": [{"epcClass": "https://id.gs1.org/01/%2$s/10/E", "quantity": 2.5, "uom": "KGM"}]}]}}
                """.formatted(item, gtin, gln);
        partner.get().body(document).post("/epcis/capture").then().statusCode(403);
        operator().body(document).post("/epcis/capture").then().statusCode(202).body("storedCount", equalTo(3));
        QuarkusTransaction.requiringNew().run(() -> AppUser.getEntityManager().createNativeQuery(
                "insert into site_partner (user_id, site_id) values (?1, ?2)")
                .setParameter(1, AppUser.findByUsername("embedded-partner").orElseThrow().id).setParameter(2, site)
                .executeUpdate());

        String first = partner.get().queryParam("MATCH_epc", "https://id.gs1.org/01/" + gtin + "/21/E1")
                .queryParam("orderBy", "eventTime").queryParam("perPage", 1).get("/epcis/events")
                .then().statusCode(200)
                .body("epcisBody.queryResults.resultsBody.eventList[0].bizStep", equalTo("shipping"))
                .extract().header("Link");
        String next = first.substring(1, first.indexOf('>'));
        partner.get().urlEncodingEnabled(false).get(next).then().statusCode(200)
                .body("epcisBody.queryResults.resultsBody.eventList[0].'example:shift'", equalTo("night"));
        partner.get().queryParam("MATCH_epcClass", "urn:epc:class:lgtin:" + gtin.substring(1, 7) + ".0" + gtin.substring(7, 13) + ".E")
                .get("/epcis/events").then().statusCode(200)
                .body("epcisBody.queryResults.resultsBody.eventList.size()", equalTo(1));
    }
}
