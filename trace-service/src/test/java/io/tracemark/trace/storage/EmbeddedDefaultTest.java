package io.tracemark.trace.storage;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.tracemark.trace.Api;
import io.tracemark.trace.security.AppUser;
import io.tracemark.trace.security.Credentials;

/**
 * The zero-install default: no database server, no key and no password configured. The service
 * must create its H2 file database, its serial key and a first administrator by itself.
 */
@QuarkusTest
@TestProfile(EmbeddedDefaultTest.Embedded.class)
class EmbeddedDefaultTest {

    static final Path DATA = Path.of("target", "embedded-default-" + ProcessHandle.current().pid());

    public static class Embedded implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "tracemark.data-dir", DATA.toString(),
                    "quarkus.datasource.jdbc.url", "jdbc:h2:file:" + DATA.toAbsolutePath()
                            + "/tracemark;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                    "quarkus.datasource.username", "tracemark",
                    "tracemark.codes.secret", "",
                    "tracemark.admin.password", "");
        }
    }

    static final String OPERATOR_PASSWORD = "embedded-operator-pw";

    @Inject
    Storage storage;

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

    @Test
    void createsAFirstAdministratorWithAGeneratedPassword() {
        List<AppUser> admins = QuarkusTransaction.requiringNew().call(() -> AppUser.<AppUser>listAll());
        assertEquals(1, admins.size());
        assertEquals("admin", admins.get(0).username);
        assertTrue(admins.get(0).passwordHash.startsWith("$2"), "stored as a bcrypt hash");
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
}
