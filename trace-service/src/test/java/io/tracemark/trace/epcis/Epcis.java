package io.tracemark.trace.epcis;

import static io.tracemark.trace.Api.NUMBERS;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tracemark.fixtures.PostgresDatabase;
import io.tracemark.trace.Api;

/** EPCIS documents and events for tests, and a look at the ledger behind the service's back. */
final class Epcis {

    static final ObjectMapper JSON = EpcisJson.MAPPER;
    static final String CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";
    private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    private Epcis() {
    }

    /** A fresh GTIN-14 under the test company prefix 950600. */
    static String gtin14() {
        return "0" + NUMBERS.gtin13();
    }

    static String serial() {
        return "S" + SERIALS.incrementAndGet();
    }

    /** The SGTIN URN of an item: company prefix 950600, indicator 0. */
    static String sgtinUrn(String gtin14, String serial) {
        return "urn:epc:id:sgtin:" + gtin14.substring(1, 7) + "." + gtin14.charAt(0) + gtin14.substring(7, 13) + "." + serial;
    }

    static String digitalLink(String gtin14, String serial) {
        return "https://id.gs1.org/01/" + gtin14 + "/21/" + serial;
    }

    /** An ObjectEvent observing the given EPCs at a factory, without eventID. */
    static ObjectNode objectEvent(String bizStep, String... epcs) {
        ObjectNode event = JSON.createObjectNode();
        event.put("type", "ObjectEvent");
        event.put("eventTime", "2026-11-23T10:15:30.000+01:00");
        event.put("eventTimeZoneOffset", "+01:00");
        ArrayNode list = event.putArray("epcList");
        for (String epc : epcs) {
            list.add(epc);
        }
        event.put("action", "OBSERVE");
        event.put("bizStep", bizStep);
        event.putObject("readPoint").put("id", "urn:epc:id:sgln:950611.000001.0");
        return event;
    }

    /** The event placed at a site: its read point and business location, as SGLN URNs with an extension. */
    static ObjectNode at(ObjectNode event, String gln) {
        String sgln = "urn:epc:id:sgln:" + gln.substring(0, 6) + "." + gln.substring(6, 12) + ".7";
        event.putObject("readPoint").put("id", sgln);
        event.putObject("bizLocation").put("id", sgln);
        return event;
    }

    /** The event at another event time, e.g. "2026-11-23T11:00:00.000+01:00". */
    static ObjectNode time(ObjectNode event, String eventTime) {
        event.put("eventTime", eventTime);
        return event;
    }

    /** A registered site with a fresh GLN; answers its id and GLN. */
    static Site site(String role) {
        String gln = NUMBERS.gln();
        long id = Api.asAdmin().body(java.util.Map.of("gln", gln, "name", "Site " + gln, "role", role))
                .post("/api/sites").then().statusCode(201).extract().jsonPath().getLong("id");
        return new Site(id, gln);
    }

    record Site(long id, String gln) {
    }

    /** The Digital Link URIs of fresh codes of a batch. */
    static java.util.List<String> codes(long batchId, int count) {
        Api.asAdmin().body(java.util.Map.of("count", count)).post("/api/batches/" + batchId + "/codes").then()
                .statusCode(201);
        return Api.asAdmin().get("/api/batches/" + batchId + "/codes").then().statusCode(200).extract().jsonPath()
                .getList("items.uri", String.class);
    }

    /** The same event as a single capture: with its own JSON-LD context. */
    static ObjectNode withContext(ObjectNode event) {
        ObjectNode single = JSON.createObjectNode();
        single.putArray("@context").add(CONTEXT);
        single.setAll(event);
        return single;
    }

    static ObjectNode document(ObjectNode... events) {
        ObjectNode document = JSON.createObjectNode();
        document.putArray("@context").add(CONTEXT);
        document.put("type", "EPCISDocument");
        document.put("schemaVersion", "2.0");
        document.put("creationDate", "2026-11-23T10:20:00.000+01:00");
        ArrayNode list = document.putObject("epcisBody").putArray("eventList");
        for (ObjectNode event : events) {
            list.add(event);
        }
        return document;
    }

    static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not JSON: " + json, e);
        }
    }

    /** Rows in the ledger's tables and capture jobs, counted in the database itself. */
    record LedgerCount(long events, long epcs, long quantities, long jobs) {
    }

    static LedgerCount ledgerCount() {
        try (Connection db = PostgresDatabase.connect(); Statement sql = db.createStatement()) {
            return new LedgerCount(count(sql, "event"), count(sql, "event_epc"), count(sql, "event_quantity"),
                    count(sql, "capture_job"));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(Statement sql, String table) throws SQLException {
        try (ResultSet rows = sql.executeQuery("select count(*) from " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
