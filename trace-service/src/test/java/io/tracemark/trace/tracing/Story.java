package io.tracemark.trace.tracing;

import static io.tracemark.trace.Api.NUMBERS;
import static io.tracemark.trace.Api.asAdmin;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.restassured.specification.RequestSpecification;
import io.tracemark.fixtures.Gs1Numbers;
import io.tracemark.trace.Api;

/**
 * Test data the way Tracemark's users make it: master data and codes through the API, and the
 * item's life as standard EPCIS events captured through POST /epcis/capture.
 */
final class Story {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";
    private static final AtomicLong SSCCS = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    static {
        io.restassured.RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    private Story() {
    }

    /** A site with its GLN, city, country and coordinates. */
    record Site(long id, String gln, String name) {
        String sgln() {
            return "https://id.gs1.org/414/" + gln;
        }

        String pgln() {
            return "https://id.gs1.org/417/" + gln;
        }
    }

    /** A batch of a product made at a factory, with codes allocated to it. */
    record Batch(long id, String gtin, String lot, Site factory, List<String> uris, List<String> serials) {
    }

    static Site site(String name, String role, String city, String country, double latitude, double longitude) {
        String gln = NUMBERS.gln();
        long id = asAdmin().body(Map.of("gln", gln, "name", name, "role", role,
                "address", Map.of("city", city, "country", country),
                "coordinates", Map.of("latitude", latitude, "longitude", longitude)))
                .post("/api/sites").then().statusCode(201).extract().jsonPath().getLong("id");
        return new Site(id, gln, name);
    }

    /** A batch of olive oil made in Sevilla, with the given number of codes. */
    static Batch batch(int count) {
        Site factory = site("Almazara Sevilla", "factory", "Sevilla", "ES", 37.39, -5.98);
        long batch = Api.batch(Api.product(), Api.line(factory.id()));
        asAdmin().body(Map.of("count", count)).post("/api/batches/" + batch + "/codes").then().statusCode(201);
        var codes = asAdmin().get("/api/batches/" + batch + "/codes").then().statusCode(200).extract().jsonPath();
        var view = asAdmin().get("/api/batches/" + batch).then().statusCode(200).extract().jsonPath();
        return new Batch(batch, view.getString("gtin"), view.getString("lot"), factory, codes.getList("items.uri"),
                codes.getList("items.serial"));
    }

    /** A GTIN-14 no code of these tests was issued for. */
    static String otherGtin() {
        return "0" + NUMBERS.gtin13();
    }

    /** A fresh SSCC under the test company prefix, as a Digital Link. */
    static String sscc() {
        String body = "0950600" + String.format("%010d", SSCCS.incrementAndGet() % 10_000_000_000L);
        return "https://id.gs1.org/00/" + Gs1Numbers.withCheckDigit(body);
    }

    static String digits(String ssccLink) {
        return ssccLink.substring(ssccLink.lastIndexOf('/') + 1);
    }

    static ObjectNode event(String type, String time, String action, String bizStep, String disposition, Site where) {
        ObjectNode event = JSON.createObjectNode();
        event.put("type", type);
        event.put("eventTime", time);
        event.put("eventTimeZoneOffset", "+01:00");
        if (action != null) {
            event.put("action", action);
        }
        event.put("bizStep", bizStep);
        if (disposition != null) {
            event.put("disposition", disposition);
        }
        event.putObject("readPoint").put("id", where.sgln());
        event.putObject("bizLocation").put("id", where.sgln());
        return event;
    }

    static ObjectNode commissioning(String time, Site factory, String... items) {
        ObjectNode event = event("ObjectEvent", time, "ADD", "commissioning", "active", factory);
        list(event, "epcList", items);
        return event;
    }

    static ObjectNode packing(String time, Site where, String parent, String... children) {
        ObjectNode event = event("AggregationEvent", time, "ADD", "packing", "in_progress", where);
        event.put("parentID", parent);
        list(event, "childEPCs", children);
        return event;
    }

    /** Unpacking: the named children, or everything when none are named. */
    static ObjectNode unpacking(String time, Site where, String parent, String... children) {
        ObjectNode event = event("AggregationEvent", time, "DELETE", "unpacking", "in_progress", where);
        event.put("parentID", parent);
        if (children.length > 0) {
            list(event, "childEPCs", children);
        }
        return event;
    }

    static ObjectNode shipping(String time, Site from, Site to, String what) {
        ObjectNode event = event("ObjectEvent", time, "OBSERVE", "shipping", "in_transit", from);
        event.remove("bizLocation");
        list(event, "epcList", what);
        event.putArray("bizTransactionList").addObject().put("type", "po")
                .put("bizTransaction", "urn:epcglobal:cbv:bt:" + from.gln() + ":PO-4711-SECRET");
        event.putArray("sourceList").addObject().put("type", "owning_party").put("source", from.pgln());
        event.putArray("destinationList").addObject().put("type", "owning_party").put("destination", to.pgln());
        return event;
    }

    static ObjectNode receiving(String time, Site from, Site at, String what) {
        ObjectNode event = event("ObjectEvent", time, "OBSERVE", "receiving", "in_progress", at);
        list(event, "epcList", what);
        event.putArray("sourceList").addObject().put("type", "owning_party").put("source", from.pgln());
        event.putArray("destinationList").addObject().put("type", "owning_party").put("destination", at.pgln());
        return event;
    }

    static ObjectNode selling(String time, Site shop, String item) {
        ObjectNode event = event("ObjectEvent", time, "OBSERVE", "retail_selling", "retail_sold", shop);
        list(event, "epcList", item);
        event.putArray("bizTransactionList").addObject().put("type", "urn:example:bttype:pos_receipt")
                .put("bizTransaction", "urn:example:pos:receipt:2026-000123");
        return event;
    }

    static ObjectNode recalling(String time, Site where, String... items) {
        ObjectNode event = event("ObjectEvent", time, "OBSERVE", "holding", "recalled", where);
        list(event, "epcList", items);
        return event;
    }

    /** Captures the events in one EPCISDocument, as the given caller. */
    static void capture(RequestSpecification caller, ObjectNode... events) {
        ObjectNode document = JSON.createObjectNode();
        document.putArray("@context").add(CONTEXT);
        document.put("type", "EPCISDocument");
        document.put("schemaVersion", "2.0");
        document.put("creationDate", "2026-11-23T10:20:00.000+01:00");
        ArrayNode list = document.putObject("epcisBody").putArray("eventList");
        for (ObjectNode event : events) {
            list.add(event);
        }
        caller.body(text(document)).post("/epcis/capture").then().log().ifValidationFails().statusCode(202);
    }

    static void capture(ObjectNode... events) {
        capture(asAdmin(), events);
    }

    static String text(Object node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void list(ObjectNode event, String field, String... epcs) {
        ArrayNode list = event.putArray(field);
        for (String epc : epcs) {
            list.add(epc);
        }
    }
}
