package io.tracemark.trace.epcis;

import static io.tracemark.trace.Api.asAdmin;
import static io.tracemark.trace.epcis.Epcis.document;
import static io.tracemark.trace.epcis.Epcis.gtin14;
import static io.tracemark.trace.epcis.Epcis.ledgerCount;
import static io.tracemark.trace.epcis.Epcis.objectEvent;
import static io.tracemark.trace.epcis.Epcis.serial;
import static io.tracemark.trace.epcis.Epcis.sgtinUrn;
import static io.tracemark.trace.epcis.Epcis.text;
import static io.tracemark.trace.epcis.Epcis.withContext;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * Bad input is answered with a 400 problem naming the field (with the event's index in the
 * document), and the ledger stays exactly as it was.
 */
@QuarkusTest
class EpcisValidationTest {

    /** Captures a document whose second event was spoilt by {@code spoil}; expects a 400 and an unchanged ledger. */
    private static ValidatableResponse rejected(Consumer<ObjectNode> spoil) {
        ObjectNode good = objectEvent("shipping", sgtinUrn(gtin14(), serial()));
        ObjectNode bad = objectEvent("shipping", sgtinUrn(gtin14(), serial()));
        spoil.accept(bad);
        Epcis.LedgerCount before = ledgerCount();
        ValidatableResponse answer = asAdmin().body(text(document(good, bad))).post("/epcis/capture").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:tracemark:problem:validation-failed"));
        assertEquals(before, ledgerCount(), "nothing was stored");
        return answer;
    }

    @Test
    void aNulCharacterAnywhereInAnEventIsNamedAndNothingIsStored() {
        rejected(bad -> bad.put("action", "ADD").putObject("ilmd").put("https://ns.example.com/epcis/note", "Lot\u0000A"))
                .body("violations.field", hasItem("epcisBody.eventList[1].ilmd.https://ns.example.com/epcis/note"))
                .body("violations.message", hasItem(containsString("NUL")));
        rejected(bad -> bad.put("eventID", "urn:uuid:\u0000" + UUID.randomUUID()))
                .body("violations.field", hasItem(containsString("epcisBody.eventList[1]")));
        Epcis.LedgerCount before = ledgerCount();
        ObjectNode single = objectEvent("shipping", sgtinUrn(gtin14(), serial()));
        single.put("action", "ADD").putObject("ilmd").put("https://ns.example.com/epcis/note", "\u0000");
        asAdmin().body(text(withContext(single))).post("/epcis/events").then().statusCode(400)
                .body("violations.field", hasItem("event.ilmd.https://ns.example.com/epcis/note"));
        assertEquals(before, ledgerCount(), "nothing was stored");
    }

    @Test
    void malformedJsonSaysWhereItBreaks() {
        Epcis.LedgerCount before = ledgerCount();
        asAdmin().body("{\"type\": \"EPCISDocument\", \"epcisBody\": {\"eventList\": [}").post("/epcis/capture")
                .then().statusCode(400)
                .body("type", equalTo("urn:tracemark:problem:malformed-request"))
                .body("detail", containsString("line 1, column"));
        asAdmin().body("{\"type\": \"EPCISDocument\", \"type\": \"EPCISDocument\"}").post("/epcis/capture")
                .then().statusCode(400)
                .body("type", equalTo("urn:tracemark:problem:malformed-request"))
                .body("detail", containsString("Duplicate field 'type'"));
        asAdmin().body("").post("/epcis/events").then().statusCode(400)
                .body("type", equalTo("urn:tracemark:problem:malformed-request"));
        assertEquals(before, ledgerCount());
    }

    @Test
    void aDocumentOutsideTheSchemaIsRefusedWhole() {
        ObjectNode document = document(objectEvent("shipping", sgtinUrn(gtin14(), serial())));
        document.remove("schemaVersion");
        Epcis.LedgerCount before = ledgerCount();
        asAdmin().body(text(document)).post("/epcis/capture").then().statusCode(400)
                .body("violations.field", hasItem("document"))
                .body("violations.message", hasItem(containsString("schemaVersion")));
        asAdmin().body(text(objectEvent("shipping", sgtinUrn(gtin14(), serial())))).post("/epcis/capture")
                .then().statusCode(400)
                .body("violations[0].field", equalTo("type"))
                .body("violations[0].message", containsString("/epcis/events"));
        assertEquals(before, ledgerCount());
    }

    @Test
    void anEventOutsideTheSchemaIsNamedByItsIndex() {
        rejected(event -> event.remove("action"))
                .body("violations.field", hasItem("epcisBody.eventList[1]"))
                .body("violations.message", hasItem(containsString("action")));
        rejected(event -> event.put("action", "MOVE"))
                .body("violations.field", hasItem("epcisBody.eventList[1].action"));
        rejected(event -> event.put("unprefixedField", "x"))
                .body("violations.field", hasItem("epcisBody.eventList[1]"));
        rejected(event -> event.put("bizStep", "https://example.com/steps/" + "x".repeat(500)))
                .body("violations.field", hasItem("epcisBody.eventList[1].bizStep"))
                .body("violations.message", hasItem(containsString("longer than 500")));
    }

    @Test
    void badTimestampsAndOffsetsAreRefused() {
        rejected(event -> event.put("eventTime", "2026-13-45T10:00:00Z"))
                .body("violations.field", hasItem("epcisBody.eventList[1].eventTime"));
        rejected(event -> event.put("eventTime", "2026-11-23T10:15:30"))
                .body("violations.field", hasItem("epcisBody.eventList[1].eventTime"));
        rejected(event -> event.put("eventTimeZoneOffset", "+15:00"))
                .body("violations.field", hasItem("epcisBody.eventList[1].eventTimeZoneOffset"));
        rejected(event -> event.put("eventTimeZoneOffset", "1:00"))
                .body("violations.field", hasItem("epcisBody.eventList[1].eventTimeZoneOffset"));
        rejected(event -> event.putObject("errorDeclaration").put("declarationTime", "yesterday"))
                .body("violations.field", hasItem("epcisBody.eventList[1].errorDeclaration.declarationTime"));
    }

    @Test
    void identifiersMustBeEpcUrnsOrDigitalLinksThatHold() {
        rejected(event -> event.withArray("epcList").set(0, "urn:epc:id:foo:950600.1"))
                .body("violations[0].field", equalTo("epcisBody.eventList[1].epcList[0]"))
                .body("violations[0].message", containsString("not a supported EPC URN"));
        rejected(event -> event.withArray("epcList").set(0, "https://example.com/items/42"))
                .body("violations[0].field", equalTo("epcisBody.eventList[1].epcList[0]"))
                .body("violations[0].message", containsString("no GS1 key"));
        rejected(event -> event.withArray("epcList").set(0, "https://id.gs1.org/01/09506000134353/21/1"))
                .body("violations[0].message", containsString("wrong check digit"));
        rejected(event -> event.withArray("epcList").set(0, "https://id.gs1.org/01/09506000134352"))
                .body("violations[0].message", containsString("names a class of items"));
        rejected(event -> event.putObject("readPoint").put("id", sgtinUrn(gtin14(), "1")))
                .body("violations[0].field", equalTo("epcisBody.eventList[1].readPoint.id"))
                .body("violations[0].message", containsString("not a location"));
        rejected(event -> event.putArray("quantityList").addObject()
                .put("epcClass", sgtinUrn(gtin14(), "1")).put("quantity", 3))
                .body("violations[0].field", equalTo("epcisBody.eventList[1].quantityList[0].epcClass"))
                .body("violations[0].message", containsString("not an EPC class"));
        rejected(event -> {
            event.put("type", "AggregationEvent");
            event.set("childEPCs", event.remove("epcList"));
            event.put("parentID", "urn:epc:id:sscc:950600.123");
        })
                .body("violations[0].field", equalTo("epcisBody.eventList[1].parentID"));
        rejected(event -> event.putArray("sourceList").addObject().put("type", "location")
                .put("source", "urn:epc:id:sgln:950611.1.0"))
                .body("violations[0].field", equalTo("epcisBody.eventList[1].sourceList[0].source"));
    }

    @Test
    void anEventIdIsUsedOnce() {
        ObjectNode first = objectEvent("shipping", sgtinUrn(gtin14(), serial()));
        first.put("eventID", "urn:uuid:" + java.util.UUID.randomUUID());
        ObjectNode again = objectEvent("receiving", sgtinUrn(gtin14(), serial()));
        again.put("eventID", first.get("eventID").asText());
        Epcis.LedgerCount before = ledgerCount();

        asAdmin().body(text(document(first, again))).post("/epcis/capture").then().statusCode(400)
                .body("violations[0].field", equalTo("epcisBody.eventList[1].eventID"))
                .body("violations[0].message", containsString("epcisBody.eventList[0]"));
        assertEquals(before, ledgerCount());

        asAdmin().body(text(document(first))).post("/epcis/capture").then().statusCode(202);
        Epcis.LedgerCount after = ledgerCount();
        asAdmin().body(text(document(again))).post("/epcis/capture").then().statusCode(400)
                .body("violations[0].field", equalTo("epcisBody.eventList[0].eventID"))
                .body("violations[0].message", containsString("captured before"));
        assertEquals(after, ledgerCount());
    }

    @Test
    void aSingleEventIsCheckedTheSameWay() {
        Epcis.LedgerCount before = ledgerCount();
        // A single event carries its own JSON-LD context, as the schema requires.
        asAdmin().body(text(objectEvent("shipping", sgtinUrn(gtin14(), serial())))).post("/epcis/events")
                .then().statusCode(400)
                .body("violations.message", hasItem(containsString("@context")));
        ObjectNode event = withContext(objectEvent("shipping", "urn:epc:id:sgtin:950600.1.1"));
        asAdmin().body(text(event)).post("/epcis/events").then().statusCode(400)
                .body("violations[0].field", equalTo("event.epcList[0]"));
        asAdmin().body(text(document(objectEvent("shipping", sgtinUrn(gtin14(), serial()))))).post("/epcis/events")
                .then().statusCode(400).body("violations[0].field", equalTo("type"));
        assertEquals(before, ledgerCount());
    }
}
