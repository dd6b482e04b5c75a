package io.tracemark.trace.epcis;

import static io.tracemark.trace.Api.anonymous;
import static io.tracemark.trace.Api.as;
import static io.tracemark.trace.Api.asAdmin;
import static io.tracemark.trace.Api.asStation;
import static io.tracemark.trace.epcis.Epcis.column;
import static io.tracemark.trace.epcis.Epcis.document;
import static io.tracemark.trace.epcis.Epcis.gtin14;
import static io.tracemark.trace.epcis.Epcis.objectEvent;
import static io.tracemark.trace.epcis.Epcis.serial;
import static io.tracemark.trace.epcis.Epcis.sgtinUrn;
import static io.tracemark.trace.epcis.Epcis.text;
import static io.tracemark.trace.epcis.Epcis.update;
import static io.tracemark.trace.epcis.Epcis.withContext;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.tracemark.fixtures.PostgresDatabase;
import io.tracemark.trace.Api;
import io.tracemark.trace.event.hash.EventHash;

/**
 * Tamper evidence: every event carries its EPCIS event hash, the ledger is a hash chain, and
 * GET /epcis/ledger/verify proves it intact or names the first event where someone changed it
 * behind the service's back. Every test that tampers puts the row back, so the chain verifies
 * again for the next test.
 */
@QuarkusTest
class LedgerChainTest {

    private static final String VERIFY = "/epcis/ledger/verify";

    private static RequestSpecification regulator() {
        return as("chain-regulator", Api.user("chain-regulator", "regulator"));
    }

    private static JsonPath verify() {
        return regulator().get(VERIFY).then().statusCode(200).extract().jsonPath();
    }

    /** Captures one event (without eventID) and answers the eventID the ledger gave it. */
    private static String capture(ObjectNode event) {
        return asAdmin().body(text(withContext(event))).post("/epcis/events").then().statusCode(201).extract().jsonPath()
                .getString("eventID");
    }

    private static String capture() {
        return capture(objectEvent("shipping", sgtinUrn(gtin14(), serial())));
    }

    private static void assertIntact() {
        JsonPath intact = verify();
        assertEquals(true, intact.getBoolean("intact"), () -> "the chain is broken: " + intact.prettify());
    }

    private static void assertBrokenAt(String eventId, String reason) {
        regulator().get(VERIFY).then().statusCode(200)
                .body("intact", equalTo(false))
                .body("firstBrokenEventId", equalTo(eventId))
                .body("reason", containsString(reason));
    }

    @Test
    void everyCapturedEventCarriesItsEventHashAndTheChainVerifies() {
        ObjectNode named = objectEvent("commissioning", sgtinUrn(gtin14(), serial()));
        named.put("eventID", "urn:uuid:" + java.util.UUID.randomUUID());
        ObjectNode unnamed = objectEvent("packing", sgtinUrn(gtin14(), serial()));
        unnamed.put("example:shift", "night");
        ObjectNode captured = document(named, unnamed);
        ((com.fasterxml.jackson.databind.node.ArrayNode) captured.get("@context")).addObject()
                .put("example", "https://ns.example.com/epcis/");
        asAdmin().body(text(captured)).post("/epcis/capture").then().statusCode(202).body("storedCount", equalTo(2));

        // The hash of what was captured, under the document's context: the unnamed event is named by it.
        JsonNode context = captured.get("@context");
        String namedHash = EventHash.of(named, context);
        String unnamedHash = EventHash.of(unnamed, context);
        assertEquals(namedHash, column(named.get("eventID").asText(), "event_hash"));
        assertEquals(unnamedHash, column(unnamedHash, "event_hash"));
        asAdmin().urlEncodingEnabled(false).get("/epcis/events/" + EpcisResource.pathSegment(unnamedHash)).then()
                .statusCode(200).body("epcisBody.queryResults.resultsBody.eventList[0].eventID", equalTo(unnamedHash));

        // The second is chained to the first.
        assertEquals(column(named.get("eventID").asText(), "chain_hash"), column(unnamedHash, "previous_hash"));
        assertEquals(Long.parseLong(column(named.get("eventID").asText(), "chain_position")) + 1,
                Long.parseLong(column(unnamedHash, "chain_position")));

        JsonPath verified = verify();
        assertEquals(true, verified.getBoolean("intact"), verified::prettify);
        assertEquals(Epcis.ledgerCount().events(), verified.getLong("events"));
        String head = verified.getString("head");
        assertEquals(64, head.length());

        // A new event moves the head on.
        String next = capture();
        regulator().get(VERIFY).then().statusCode(200).body("intact", equalTo(true))
                .body("head", equalTo(column(next, "chain_hash")))
                .body("events", greaterThanOrEqualTo((int) verified.getLong("events") + 1));
    }

    @Test
    void anEventsPlaceInTheLedgerGivesItsEventHashAndChainLink() {
        ObjectNode event = objectEvent("inspecting", sgtinUrn(gtin14(), serial()));
        String eventId = "urn:uuid:" + java.util.UUID.randomUUID();
        event.put("eventID", eventId);
        capture(event);
        String partner = Api.user("chain-ledger-partner", "partner");

        regulator().urlEncodingEnabled(false).get("/epcis/ledger/events/" + EpcisResource.pathSegment(eventId)).then()
                .statusCode(200)
                .body("eventID", equalTo(eventId))
                .body("eventHash", equalTo(EventHash.of(event, null)))
                .body("chainPosition", equalTo(Integer.parseInt(column(eventId, "chain_position"))))
                .body("previousHash", equalTo(column(eventId, "previous_hash")))
                .body("chainHash", equalTo(column(eventId, "chain_hash")));
        // Partners see the ledger entries of their own events only, as they see the events.
        as("chain-ledger-partner", partner).urlEncodingEnabled(false)
                .get("/epcis/ledger/events/" + EpcisResource.pathSegment(eventId)).then().statusCode(404);
        anonymous().get("/epcis/ledger/events/" + EpcisResource.pathSegment(eventId)).then().statusCode(401);
    }

    @Test
    void oneCharacterChangedInAStoredDocumentIsCaught() {
        String eventId = capture(objectEvent("shipping", sgtinUrn(gtin14(), serial())));
        String document = column(eventId, "document");
        String tampered = document.replace("\"shipping\"", "\"shippinG\"");
        assertNotEquals(document, tampered);
        update("update event set document = ? where event_id = ?", tampered, eventId);
        try {
            assertBrokenAt(eventId, "the document or its context was changed");
        } finally {
            update("update event set document = ? where event_id = ?", document, eventId);
        }
        assertIntact();
    }

    @Test
    void aDocumentChangedTogetherWithItsEventHashIsCaughtByTheChain() {
        String eventId = capture();
        String document = column(eventId, "document");
        String hash = column(eventId, "event_hash");
        String tampered = document.replace("\"OBSERVE\"", "\"DELETE\"");
        update("update event set document = ?, action = 'DELETE', event_hash = ? where event_id = ?", tampered,
                EventHash.of(Epcis.parse(tampered), Epcis.parse(column(eventId, "context"))), eventId);
        try {
            assertBrokenAt(eventId, "its chain value does not match");
        } finally {
            update("update event set document = ?, action = 'OBSERVE', event_hash = ? where event_id = ?", document, hash,
                    eventId);
        }
        assertIntact();
    }

    @Test
    void aChangedRecordTimeIsCaught() {
        String eventId = capture();
        update("update event set record_time = record_time - interval '1 day' where event_id = ?", eventId);
        try {
            assertBrokenAt(eventId, "record_time");
        } finally {
            update("update event set record_time = record_time + interval '1 day' where event_id = ?", eventId);
        }
        assertIntact();
    }

    @Test
    void aChangedEpcRowIsCaught() {
        String gtin = gtin14();
        String serial = serial();
        String eventId = capture(objectEvent("receiving", sgtinUrn(gtin, serial)));
        String stored = Epcis.digitalLink(gtin, serial);
        String other = Epcis.digitalLink(gtin, serial());
        assertEquals(1, update("update event_epc set epc = ? where epc = ?", other, stored));
        try {
            assertBrokenAt(eventId, "its event_epc rows do not match its stored document");
        } finally {
            update("update event_epc set epc = ? where epc = ?", stored, other);
        }
        assertIntact();
    }

    @Test
    void aDeletedEventIsCaughtAtTheEventAfterIt() throws SQLException {
        String deleted = capture();
        String after = capture();
        try (Connection db = PostgresDatabase.connect(); Statement sql = db.createStatement()) {
            long row;
            try (ResultSet id = sql.executeQuery("select id from event where event_id = '" + deleted + "'")) {
                id.next();
                row = id.getLong(1);
            }
            sql.execute("create temporary table saved_event as select * from event where id = " + row);
            sql.execute("create temporary table saved_epc as select * from event_epc where event_row = " + row);
            sql.execute("delete from event_epc where event_row = " + row);
            sql.execute("delete from event where id = " + row);
            try {
                assertBrokenAt(after, "was removed");
            } finally {
                sql.execute("insert into event select * from saved_event");
                sql.execute("insert into event_epc select * from saved_epc");
            }
        }
        assertIntact();
    }

    @Test
    void removingTheLastEventsIsCaughtAtTheHead() throws SQLException {
        String last = capture();
        try (Connection db = PostgresDatabase.connect(); Statement sql = db.createStatement()) {
            long row;
            try (ResultSet id = sql.executeQuery("select id from event where event_id = '" + last + "'")) {
                id.next();
                row = id.getLong(1);
            }
            sql.execute("create temporary table saved_event as select * from event where id = " + row);
            sql.execute("create temporary table saved_epc as select * from event_epc where event_row = " + row);
            sql.execute("delete from event_epc where event_row = " + row);
            sql.execute("delete from event where id = " + row);
            try {
                regulator().get(VERIFY).then().statusCode(200)
                        .body("intact", equalTo(false))
                        .body("reason", containsString("the last 1 were removed"));
            } finally {
                sql.execute("insert into event select * from saved_event");
                sql.execute("insert into event_epc select * from saved_epc");
            }
        }
        assertIntact();
    }

    @Test
    void concurrentCapturesAreChainedOneAfterTheOther() throws Exception {
        long before = Epcis.ledgerCount().events();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> captures = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                captures.add(pool.submit(() -> asAdmin().body(text(document(objectEvent("shipping",
                        sgtinUrn(gtin14(), serial())), objectEvent("receiving", sgtinUrn(gtin14(), serial())))))
                        .post("/epcis/capture").then().statusCode(202)));
            }
            for (Future<?> capture : captures) {
                capture.get();
            }
        } finally {
            pool.shutdown();
        }
        JsonPath verified = verify();
        assertEquals(true, verified.getBoolean("intact"), verified::prettify);
        assertEquals(before + 48, Epcis.ledgerCount().events());
    }

    @Test
    void onlyRegulatorsAndAdministratorsVerify() {
        regulator().get(VERIFY).then().statusCode(200).body("intact", equalTo(true)).body("head", startsWith(""));
        asAdmin().get(VERIFY).then().statusCode(200).body("intact", equalTo(true));
        anonymous().get(VERIFY).then().statusCode(401);
        as("chain-partner", Api.user("chain-partner", "partner")).get(VERIFY).then().statusCode(403)
                .body("type", equalTo("urn:tracemark:problem:forbidden"));
        as("chain-operator", Api.user("chain-operator", "operator")).get(VERIFY).then().statusCode(403);
        asStation(Api.stationKey(Api.line(Api.factory()))).get(VERIFY).then().statusCode(403);
    }

    /**
     * A chain across several documents of many events each still verifies. Every event captured here
     * stays in the suite's ledger and lengthens each later verification, so the count is modest; the
     * time verification takes at scale is measured in bench/ledger, not here.
     */
    @Test
    void verifiesAThousandEventsCapturedInFiveDocuments() {
        for (int capture = 0; capture < 5; capture++) {
            ObjectNode[] events = new ObjectNode[200];
            for (int i = 0; i < events.length; i++) {
                events[i] = objectEvent("shipping", sgtinUrn(gtin14(), serial()));
            }
            asAdmin().body(text(document(events))).post("/epcis/capture").then().statusCode(202);
        }
        long started = System.nanoTime();
        JsonPath verified = verify();
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(true, verified.getBoolean("intact"), verified::prettify);
        System.out.printf("ledger verification: %d events in %d ms (%.0f events/s)%n", verified.getLong("events"), millis,
                verified.getLong("events") * 1000.0 / Math.max(1, millis));
    }
}
