package io.tracemark.trace.epcis;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tracemark.trace.storage.EmbeddedDatabase;
import io.restassured.specification.RequestSpecification;
import io.tracemark.trace.Api;
import io.tracemark.trace.security.AppUser;
import io.tracemark.trace.security.Credentials;

/** The hash chain on the zero-install embedded H2 database: appends lock its head, verify catches an edit. */
@QuarkusTest
@TestProfile(EmbeddedDatabase.FirstStart.class)
class LedgerChainEmbeddedTest {

    static final Path DATA = EmbeddedDatabase.FirstStart.DATA;
    private static final String PASSWORD = "embedded-chain-pw";

    @Inject
    AgroalDataSource dataSource;

    private static RequestSpecification as(String name) {
        return Api.as(name, PASSWORD);
    }

    private static void user(String name, String role) {
        QuarkusTransaction.requiringNew().run(() -> {
            if (AppUser.count("username", name) > 0) {
                return;
            }
            AppUser user = new AppUser();
            user.username = name;
            user.passwordHash = Credentials.hashPassword(PASSWORD);
            user.roles = role;
            user.createdAt = java.time.OffsetDateTime.now();
            user.persist();
        });
    }

    @Test
    void chainsAndVerifiesOnTheEmbeddedDatabase() throws Exception {
        user("chain-admin", "admin");
        user("chain-regulator", "regulator");
        // Other classes on this profile may have written events before.
        int before = as("chain-regulator").get("/epcis/ledger/verify").then().statusCode(200).extract().jsonPath()
                .getInt("events");
        String first = Epcis.sgtinUrn(Epcis.gtin14(), Epcis.serial());
        String second = Epcis.sgtinUrn(Epcis.gtin14(), Epcis.serial());
        as("chain-admin").body(Epcis.text(Epcis.document(Epcis.objectEvent("commissioning", first),
                Epcis.objectEvent("commissioning", second)))).post("/epcis/capture").then().statusCode(202)
                .body("storedCount", equalTo(2));
        String eventId = as("chain-admin").body(Epcis.text(Epcis.withContext(Epcis.objectEvent("shipping", first))))
                .post("/epcis/events").then().statusCode(201).extract().jsonPath().getString("eventID");

        as("chain-regulator").get("/epcis/ledger/verify").then().statusCode(200)
                .body("intact", equalTo(true)).body("events", equalTo(before + 3));

        try (Connection db = dataSource.getConnection()) {
            String document;
            try (PreparedStatement select = db.prepareStatement("select document from event where event_id = ?")) {
                select.setString(1, eventId);
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    document = row.getString(1);
                }
            }
            try (PreparedStatement update = db.prepareStatement("update event set document = ? where event_id = ?")) {
                update.setString(1, document.replace("\"shipping\"", "\"shippinG\""));
                update.setString(2, eventId);
                update.executeUpdate();
                as("chain-regulator").get("/epcis/ledger/verify").then().statusCode(200)
                        .body("intact", equalTo(false))
                        .body("firstBrokenEventId", equalTo(eventId))
                        .body("reason", containsString("the document or its context was changed"));
                update.setString(1, document);
                update.executeUpdate();
            }
        }
        as("chain-regulator").get("/epcis/ledger/verify").then().statusCode(200).body("intact", equalTo(true));
    }

    @Test
    void signsCheckpointsWithAKeyGeneratedIntoTheDataFolder() throws Exception {
        user("chain-regulator", "regulator");
        Path key = DATA.resolve("ledger-signing.key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        Map<String, Object> checkpoint = as("chain-regulator").get("/epcis/ledger/checkpoint").then().statusCode(200)
                .body("keyId", equalTo(Api.anonymous().get("/epcis/ledger/key").then().statusCode(200).extract().jsonPath()
                        .getString("keyId")))
                .extract().jsonPath().getMap("");
        as("chain-regulator").body(checkpoint).post("/epcis/ledger/verify").then().statusCode(200)
                .body("verified", equalTo(true));
    }
}
