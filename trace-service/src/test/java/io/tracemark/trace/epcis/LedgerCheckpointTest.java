package io.tracemark.trace.epcis;

import static io.tracemark.trace.Api.anonymous;
import static io.tracemark.trace.Api.as;
import static io.tracemark.trace.Api.asAdmin;
import static io.tracemark.trace.Api.asStation;
import static io.tracemark.trace.epcis.Epcis.column;
import static io.tracemark.trace.epcis.Epcis.gtin14;
import static io.tracemark.trace.epcis.Epcis.objectEvent;
import static io.tracemark.trace.epcis.Epcis.serial;
import static io.tracemark.trace.epcis.Epcis.sgtinUrn;
import static io.tracemark.trace.epcis.Epcis.text;
import static io.tracemark.trace.epcis.Epcis.update;
import static io.tracemark.trace.epcis.Epcis.withContext;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.tracemark.fixtures.PostgresDatabase;
import io.tracemark.trace.Api;
import io.tracemark.trace.checkpoint.CheckpointSchedule;
import io.tracemark.trace.event.hash.EventHash;

/**
 * Anchoring the ledger outside the database: a regulator pins the ledger's public key, keeps signed
 * checkpoints of its head, and later verifies the ledger against one. Rewrites that the hash chain
 * alone cannot show (the last events removed with the head rolled back, an edit with the chain
 * recomputed after it) fail against a checkpoint. Every test that tampers puts the rows back, so the
 * chain verifies again for the next test.
 */
@QuarkusTest
class LedgerCheckpointTest {

    private static final String CHECKPOINT = "/epcis/ledger/checkpoint";
    private static final String CHECKPOINTS = "/epcis/ledger/checkpoints";
    private static final String VERIFY = "/epcis/ledger/verify";

    @Inject
    CheckpointSchedule schedule;

    private static RequestSpecification regulator() {
        return as("checkpoint-regulator", Api.user("checkpoint-regulator", "regulator"));
    }

    /** A checkpoint of the head as it is now, as a regulator takes and keeps it. */
    private static Map<String, Object> takeCheckpoint() {
        return regulator().get(CHECKPOINT).then().statusCode(200).extract().jsonPath().getMap("");
    }

    private static JsonPath verifyAgainst(Object checkpoint) {
        return regulator().body(checkpoint).post(VERIFY).then().statusCode(200).extract().jsonPath();
    }

    private static String capture(ObjectNode event) {
        return asAdmin().body(text(withContext(event))).post("/epcis/events").then().statusCode(201).extract().jsonPath()
                .getString("eventID");
    }

    private static String capture() {
        return capture(objectEvent("shipping", sgtinUrn(gtin14(), serial())));
    }

    private static long position(String eventId) {
        return Long.parseLong(column(eventId, "chain_position"));
    }

    /** The chain check of a verdict: what GET /epcis/ledger/verify finds, the whole chain walked. */
    private static void assertChainIntact(JsonPath verdict) {
        assertEquals(true, verdict.getBoolean("checks.find { it.check == 'chain' }.passed"), verdict::prettify);
    }

    /** The rows are back: the ledger verifies against the checkpoint again, for the next test. */
    private static void assertVerified(Object checkpoint) {
        JsonPath verdict = verifyAgainst(checkpoint);
        assertEquals(true, verdict.getBoolean("verified"), verdict::prettify);
    }

    private static long storedCheckpoints() {
        return asAdmin().get(CHECKPOINTS).then().statusCode(200).extract().jsonPath().getLong("total");
    }

    @Test
    void aRegulatorPinsTheKeyAndChecksACheckpointWithOpenssl() throws Exception {
        String last = capture();
        JsonPath key = anonymous().get("/epcis/ledger/key").then().statusCode(200)
                .body("algorithm", equalTo("Ed25519")).extract().jsonPath();
        byte[] publicKey = Base64.getDecoder().decode(key.getString("publicKey"));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(publicKey)), key.getString("keyId"),
                "the key id is SHA-256 of the published SubjectPublicKeyInfo");

        Map<String, Object> checkpoint = takeCheckpoint();
        assertEquals(key.getString("ledger"), checkpoint.get("ledger"));
        assertEquals(key.getString("keyId"), checkpoint.get("keyId"));
        assertEquals(position(last), ((Number) checkpoint.get("position")).longValue());
        assertEquals(column(last, "chain_hash"), checkpoint.get("headHash"));
        assertTrue(((String) checkpoint.get("issuedAt")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));

        // The signed text, as docs/epcis.md writes it out, checked by openssl with the published key alone.
        String signed = "tracemark-ledger-checkpoint-1\n" + "ledger=" + checkpoint.get("ledger") + "\n" + "position="
                + checkpoint.get("position") + "\n" + "headHash=" + checkpoint.get("headHash") + "\n" + "issuedAt="
                + checkpoint.get("issuedAt") + "\n" + "keyId=" + checkpoint.get("keyId") + "\n";
        assertEquals("Signature Verified Successfully", openssl(key.getString("publicKeyPem"), signed,
                Base64.getDecoder().decode((String) checkpoint.get("signature"))));
        assertEquals("Signature Verification Failure", openssl(key.getString("publicKeyPem"),
                signed.replace("position=", "position=1"), Base64.getDecoder().decode((String) checkpoint.get("signature"))));

        // The checkpoint handed out is in the list too, with who asked for it.
        asAdmin().get(CHECKPOINTS + "?size=1").then().statusCode(200)
                .body("items[0].signature", equalTo(checkpoint.get("signature")))
                .body("items[0].requestedBy", equalTo("user:checkpoint-regulator"));
    }

    /** What the documented command prints: openssl pkeyutl -verify -pubin -inkey key.pem -rawin -in text -sigfile sig. */
    private static String openssl(String pem, String signed, byte[] signature) throws IOException, InterruptedException {
        Path folder = Files.createTempDirectory("checkpoint");
        try {
            Files.writeString(folder.resolve("ledger-key.pem"), pem);
            Files.writeString(folder.resolve("checkpoint.txt"), signed, StandardCharsets.US_ASCII);
            Files.write(folder.resolve("checkpoint.sig"), signature);
            Process openssl;
            try {
                openssl = new ProcessBuilder("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "ledger-key.pem", "-rawin",
                        "-in", "checkpoint.txt", "-sigfile", "checkpoint.sig").directory(folder.toFile())
                        .redirectErrorStream(true).start();
            } catch (IOException e) {
                assumeTrue(false, "openssl is not installed");
                throw e;
            }
            String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            openssl.waitFor();
            assumeTrue(!output.contains("-rawin"), "this openssl is older than 3.0 and has no -rawin");
            return output.lines().findFirst().orElse("").strip();
        } finally {
            try (var files = Files.list(folder)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(folder);
        }
    }

    @Test
    void aCheckpointWithAFlippedSignatureBitIsNotThisLedgers() {
        capture();
        Map<String, Object> checkpoint = new java.util.HashMap<>(takeCheckpoint());
        byte[] signature = Base64.getDecoder().decode((String) checkpoint.get("signature"));
        signature[10] ^= 0x01;
        Map<String, Object> forged = new java.util.HashMap<>(checkpoint);
        forged.put("signature", Base64.getEncoder().encodeToString(signature));

        regulator().body(forged).post(VERIFY).then().statusCode(200)
                .body("verified", equalTo(false))
                .body("failedCheck", equalTo("signature"))
                .body("reason", containsString("was not signed by this ledger"));

        // A checkpoint whose statement was changed after signing fails the same way.
        Map<String, Object> moved = new java.util.HashMap<>(checkpoint);
        moved.put("position", ((Number) checkpoint.get("position")).longValue() - 1);
        regulator().body(moved).post(VERIFY).then().statusCode(200)
                .body("verified", equalTo(false)).body("failedCheck", equalTo("signature"));

        // So does one signed with a key this ledger never had.
        Map<String, Object> foreign = new java.util.HashMap<>(checkpoint);
        foreign.put("keyId", "ab".repeat(32));
        regulator().body(foreign).post(VERIFY).then().statusCode(200)
                .body("verified", equalTo(false)).body("failedCheck", equalTo("signature"))
                .body("reason", containsString("never signed with"));
    }

    @Test
    void removingTheLastEventAndRollingTheHeadBackFailsAgainstTheCheckpoint() throws SQLException {
        String last = capture();
        Map<String, Object> checkpoint = takeCheckpoint();
        long position = position(last);
        assertEquals(position, ((Number) checkpoint.get("position")).longValue());
        String lastHash = column(last, "chain_hash");
        String previousHash = column(last, "previous_hash");

        try (Connection db = PostgresDatabase.connect(); Statement sql = db.createStatement()) {
            long row = Long.parseLong(column(last, "id"));
            sql.execute("create temporary table kept_event as select * from event where id = " + row);
            sql.execute("create temporary table kept_epc as select * from event_epc where event_row = " + row);
            sql.execute("delete from event_epc where event_row = " + row);
            sql.execute("delete from event where id = " + row);
            sql.execute("update ledger_head set events = " + (position - 1) + ", chain_hash = '" + previousHash + "'");
            try {
                JsonPath verdict = verifyAgainst(checkpoint);
                // The chain alone cannot tell: it ends where the rolled-back head says.
                assertChainIntact(verdict);
                assertEquals(false, verdict.getBoolean("verified"), verdict::prettify);
                assertEquals("head", verdict.getString("failedCheck"));
                assertEquals(position, verdict.getLong("position"));
                assertTrue(verdict.getString("reason").contains("ledger ends at position " + (position - 1)),
                        verdict::prettify);
                // No new checkpoint is signed over the shortened ledger either.
                regulator().get(CHECKPOINT).then().statusCode(409).body("detail", containsString("no longer extends"));
            } finally {
                sql.execute("insert into event select * from kept_event");
                sql.execute("insert into event_epc select * from kept_epc");
                sql.execute("update ledger_head set events = " + position + ", chain_hash = '" + lastHash + "'");
            }
        }
        assertVerified(checkpoint);
    }

    /** One event's fields that the rewrite changes, kept to put back. */
    private record Kept(long id, String document, String eventHash, String previousHash, String chainHash) {
    }

    @Test
    void anEditWithTheWholeChainRecomputedFailsAgainstTheCheckpoint() throws SQLException {
        ObjectNode shipment = objectEvent("shipping", sgtinUrn(gtin14(), serial()));
        String eventId = "urn:uuid:" + UUID.randomUUID();
        shipment.put("eventID", eventId);
        shipment.putArray("destinationList").addObject().put("type", "owning_party")
                .put("destination", "urn:epc:id:pgln:950611.000002");
        capture(shipment);
        capture();
        Map<String, Object> checkpoint = takeCheckpoint();
        capture();
        long edited = position(eventId);

        List<Kept> kept = new ArrayList<>();
        try (Connection db = PostgresDatabase.connect()) {
            String keptHead = headHash(db);
            try {
                rewrite(db, edited, eventId, kept);
                assertTrue(column(eventId, "document").contains("950611.000003"));

                JsonPath verdict = verifyAgainst(checkpoint);
                // A consistent rewrite: the chain alone verifies intact, with the shipment sent elsewhere.
                assertChainIntact(verdict);
                assertEquals(false, verdict.getBoolean("verified"), verdict::prettify);
                assertEquals("head", verdict.getString("failedCheck"));
                assertEquals(((Number) checkpoint.get("position")).longValue(), verdict.getLong("position"));
                assertTrue(verdict.getString("reason").contains("changed and its chain recomputed"), verdict::prettify);
            } finally {
                restore(db, kept, keptHead);
            }
        }
        assertVerified(checkpoint);
    }

    /**
     * Sends the shipment to another party behind the service's back, recomputes its event hash and
     * the chain from it to the head, keeping what it changes.
     */
    private static void rewrite(Connection db, long from, String eventId, List<Kept> kept) throws SQLException {
        String previous;
        try (PreparedStatement before = db.prepareStatement("select chain_hash from event where chain_position = ?")) {
            before.setLong(1, from - 1);
            try (ResultSet row = before.executeQuery()) {
                previous = row.next() ? row.getString(1) : LedgerChain.GENESIS;
            }
        }
        try (PreparedStatement select = db.prepareStatement("select id, event_id, chain_position, document, event_hash, "
                + "previous_hash, chain_hash, record_time, captured_by, context from event where chain_position >= ? "
                + "order by chain_position");
                PreparedStatement update = db.prepareStatement(
                        "update event set document = ?, event_hash = ?, previous_hash = ?, chain_hash = ? where id = ?")) {
            select.setLong(1, from);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    String document = row.getString("document");
                    String eventHash = row.getString("event_hash");
                    kept.add(new Kept(row.getLong("id"), document, eventHash, row.getString("previous_hash"),
                            row.getString("chain_hash")));
                    if (eventId.equals(row.getString("event_id"))) {
                        document = document.replace("950611.000002", "950611.000003");
                        eventHash = EventHash.of(Epcis.parse(document), Epcis.parse(row.getString("context")));
                    }
                    String chainHash = LedgerChain.link(previous, row.getLong("chain_position"), eventHash,
                            row.getObject("record_time", OffsetDateTime.class), row.getString("captured_by"),
                            row.getString("context"), document);
                    update.setString(1, document);
                    update.setString(2, eventHash);
                    update.setString(3, previous);
                    update.setString(4, chainHash);
                    update.setLong(5, row.getLong("id"));
                    update.executeUpdate();
                    previous = chainHash;
                }
            }
        }
        try (PreparedStatement rollHead = db.prepareStatement("update ledger_head set chain_hash = ?")) {
            rollHead.setString(1, previous);
            rollHead.executeUpdate();
        }
    }

    private static String headHash(Connection db) throws SQLException {
        try (Statement sql = db.createStatement(); ResultSet row = sql.executeQuery("select chain_hash from ledger_head")) {
            row.next();
            return row.getString(1);
        }
    }

    private static void restore(Connection db, List<Kept> kept, String head) throws SQLException {
        try (PreparedStatement update = db.prepareStatement(
                "update event set document = ?, event_hash = ?, previous_hash = ?, chain_hash = ? where id = ?")) {
            for (Kept event : kept) {
                update.setString(1, event.document());
                update.setString(2, event.eventHash());
                update.setString(3, event.previousHash());
                update.setString(4, event.chainHash());
                update.setLong(5, event.id());
                update.executeUpdate();
            }
        }
        try (PreparedStatement rollHead = db.prepareStatement("update ledger_head set chain_hash = ?")) {
            rollHead.setString(1, head);
            rollHead.executeUpdate();
        }
    }

    @Test
    void noCheckpointIsSignedOverAnEditedEvent() {
        String eventId = capture();
        long before = storedCheckpoints();
        String document = column(eventId, "document");
        update("update event set document = ? where event_id = ?", document.replace("\"shipping\"", "\"shippinG\""), eventId);
        try {
            regulator().get(CHECKPOINT).then().statusCode(409)
                    .body("type", equalTo("urn:tracemark:problem:conflict"))
                    .body("detail", containsString("at position " + position(eventId)));
            assertEquals(before, storedCheckpoints());
        } finally {
            update("update event set document = ? where event_id = ?", document, eventId);
        }
        takeCheckpoint();
    }

    @Test
    void aCheckpointThatIsNotOneIsA400NamingTheFieldAndChangesNothing() {
        capture();
        Map<String, Object> checkpoint = takeCheckpoint();
        long stored = storedCheckpoints();

        Map<String, Object> unsigned = new java.util.HashMap<>(checkpoint);
        unsigned.remove("signature");
        unsigned.put("position", "12");
        unsigned.put("headHash", "abc");
        regulator().body(unsigned).post(VERIFY).then().statusCode(400)
                .body("type", equalTo("urn:tracemark:problem:validation-failed"))
                .body("violations.field", hasItems("signature", "position", "headHash"))
                .body("violations.find { it.field == 'signature' }.message", equalTo("is missing"));
        Map<String, Object> local = new java.util.HashMap<>(checkpoint);
        local.put("issuedAt", "2026-12-04T15:00:00+01:00");
        regulator().body(local).post(VERIFY).then().statusCode(400).body("violations[0].field", equalTo("issuedAt"));
        Map<String, Object> shortSignature = new java.util.HashMap<>(checkpoint);
        shortSignature.put("signature", "AAAA");
        regulator().body(shortSignature).post(VERIFY).then().statusCode(400)
                .body("violations[0].field", equalTo("signature"));
        regulator().body("[1, 2]").post(VERIFY).then().statusCode(400).body("violations[0].field", equalTo("body"));
        regulator().body("{\"ledger\": ").post(VERIFY).then().statusCode(400)
                .body("type", equalTo("urn:tracemark:problem:malformed-request"));

        assertEquals(stored, storedCheckpoints());
    }

    @Test
    void onlyRegulatorsAndAdministratorsTakeAndVerifyCheckpoints() {
        Map<String, Object> checkpoint = asAdmin().get(CHECKPOINT).then().statusCode(200).extract().jsonPath().getMap("");
        RequestSpecification partner = as("checkpoint-partner", Api.user("checkpoint-partner", "partner"));
        RequestSpecification operator = as("checkpoint-operator", Api.user("checkpoint-operator", "operator"));
        for (RequestSpecification refused : List.of(partner, operator, asStation(Api.stationKey(Api.line(Api.factory()))))) {
            refused.get(CHECKPOINT).then().statusCode(403);
            refused.get(CHECKPOINTS).then().statusCode(403);
            refused.body(checkpoint).post(VERIFY).then().statusCode(403);
        }
        anonymous().get(CHECKPOINT).then().statusCode(401);
        anonymous().get(CHECKPOINTS).then().statusCode(401);
        anonymous().body(checkpoint).post(VERIFY).then().statusCode(401);
        // The public key is public: anyone may pin it.
        anonymous().get("/epcis/ledger/key").then().statusCode(200).body("keyId", equalTo(checkpoint.get("keyId")));
    }

    @Test
    void aScheduledCheckpointIsListedAndStillVerifiesAfterMoreEventsAreAppended() {
        capture();
        var scheduled = schedule.pass();
        long total = storedCheckpoints();
        JsonPath first = asAdmin().get(CHECKPOINTS + "?page=0&size=1").then().statusCode(200)
                .body("size", equalTo(1)).body("items.size()", equalTo(1)).extract().jsonPath();
        assertEquals(scheduled.signature(), first.getString("items[0].signature"));
        assertEquals("schedule", first.getString("items[0].requestedBy"));
        assertEquals(scheduled.position(), first.getLong("items[0].position"));
        if (total > 1) {
            String older = asAdmin().get(CHECKPOINTS + "?page=1&size=1").then().statusCode(200).extract().jsonPath()
                    .getString("items[0].issuedAt");
            assertTrue(older.compareTo(first.getString("items[0].issuedAt")) <= 0);
        }
        asAdmin().get(CHECKPOINTS + "?size=0").then().statusCode(400);

        // Events appended after it are chained to it: the checkpoint, posted back as listed, still verifies.
        capture();
        capture();
        JsonPath verdict = asAdmin().body(first.getMap("items[0]")).post(VERIFY).then().statusCode(200).extract().jsonPath();
        assertEquals(true, verdict.getBoolean("verified"), verdict::prettify);
        assertEquals(List.of("signature", "ledger", "head", "chain"), verdict.getList("checks.check"));
        assertEquals(scheduled.position() + 2, verdict.getLong("checks[3].position"));
    }
}
