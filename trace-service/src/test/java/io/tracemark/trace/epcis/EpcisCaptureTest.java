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
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Capture: documents through /epcis/capture, single events through /epcis/events. */
@QuarkusTest
class EpcisCaptureTest {

    @Test
    void capturesADocumentAndReportsTheFinishedJob() {
        String gtin = gtin14();
        String first = sgtinUrn(gtin, serial());
        String second = sgtinUrn(gtin, serial());
        Epcis.LedgerCount before = ledgerCount();

        Response accepted = asAdmin().body(text(document(objectEvent("commissioning", first),
                objectEvent("packing", second)))).post("/epcis/capture");
        accepted.then().statusCode(202)
                .header("Location", containsString("/epcis/capture/"))
                .header("GS1-EPCIS-Version", equalTo("2.0.0"))
                .header("GS1-CBV-Version", equalTo("2.0.0"))
                .header("GS1-EPCIS-Capture-Limit", equalTo("200"))
                .header("GS1-EPCIS-Capture-File-Size-Limit", equalTo("262144"))
                .body("running", equalTo(false))
                .body("success", equalTo(true))
                .body("captureErrorBehaviour", equalTo("rollback"))
                .body("errors.size()", equalTo(0))
                .body("eventCount", equalTo(2))
                .body("storedCount", equalTo(2));

        asAdmin().get(accepted.header("Location")).then().statusCode(200)
                .body("captureID", equalTo(accepted.jsonPath().getString("captureID")))
                .body("success", equalTo(true));
        assertEquals(before.events() + 2, ledgerCount().events());
        assertEquals(before.epcs() + 2, ledgerCount().epcs());
        asAdmin().queryParam("MATCH_epc", first + "|" + second).queryParam("orderBy", "eventTime")
                .get("/epcis/events").then().statusCode(200)
                .body("epcisBody.queryResults.resultsBody.eventList.bizStep", hasItem("commissioning"))
                .body("epcisBody.queryResults.resultsBody.eventList.size()", equalTo(2));
    }

    @Test
    void capturesOneEventSynchronouslyAndAnswersWhereItLives() {
        String gtin = gtin14();
        String serial = serial();
        ObjectNode event = withContext(objectEvent("shipping", sgtinUrn(gtin, serial)));
        String eventId = "urn:uuid:" + java.util.UUID.randomUUID();
        event.put("eventID", eventId);

        asAdmin().contentType("application/ld+json").body(text(event)).post("/epcis/events")
                .then().statusCode(201)
                .header("Location", endsWith("/epcis/events/" + EpcisResource.pathSegment(eventId)))
                .header("GS1-EPCIS-Version", equalTo("2.0.0"))
                .body("eventID", equalTo(eventId))
                .body("recordTime", startsWith("20"));

        // Without a GS1-EPC-Format header, EPCs come back as GS1 Digital Links, as the binding says.
        asAdmin().urlEncodingEnabled(false).get("/epcis/events/" + EpcisResource.pathSegment(eventId)).then().statusCode(200)
                .body("type", equalTo("EPCISQueryDocument"))
                .body("epcisBody.queryResults.resultsBody.eventList[0].eventID", equalTo(eventId))
                .body("epcisBody.queryResults.resultsBody.eventList[0].epcList[0]",
                        equalTo(Epcis.digitalLink(gtin, serial)));
    }

    @Test
    void givesAnEventWithoutEventIdItsEventHashAsIdToFetchItBy() {
        String epc = sgtinUrn(gtin14(), serial());
        ObjectNode event = withContext(objectEvent("shipping", epc));
        Response created = asAdmin().body(text(event)).post("/epcis/events");
        created.then().statusCode(201)
                .body("eventID", equalTo(io.tracemark.trace.event.hash.EventHash.of(event, null)))
                .body("eventID", startsWith("ni:///sha-256;"));

        // The same event sent again is recognised by its hash.
        asAdmin().body(text(event)).post("/epcis/events").then().statusCode(409)
                .body("detail", containsString(created.jsonPath().getString("eventID")));

        asAdmin().header("GS1-EPC-Format", "Never_Translates").urlEncodingEnabled(false).get(created.header("Location")).then().statusCode(200)
                .body("epcisBody.queryResults.resultsBody.eventList[0].epcList[0]", equalTo(epc))
                .body("epcisBody.queryResults.resultsBody.eventList[0].eventID", equalTo(created.jsonPath().getString("eventID")));
    }

    @Test
    void refusesAnEventIdCapturedBeforeWithAConflict() {
        ObjectNode event = withContext(objectEvent("shipping", sgtinUrn(gtin14(), serial())));
        event.put("eventID", "urn:uuid:" + java.util.UUID.randomUUID());
        asAdmin().body(text(event)).post("/epcis/events").then().statusCode(201);
        Epcis.LedgerCount before = ledgerCount();

        asAdmin().body(text(event)).post("/epcis/events").then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:tracemark:problem:conflict"))
                .body("detail", containsString(event.get("eventID").asText()));
        assertEquals(before, ledgerCount());
    }

    @Test
    void rollbackStoresNothingWhenOneEventIsWrong() {
        String good = sgtinUrn(gtin14(), serial());
        ObjectNode bad = objectEvent("shipping", "urn:epc:id:sgtin:950600.123.1");
        Epcis.LedgerCount before = ledgerCount();

        asAdmin().header("GS1-Capture-Error-Behaviour", "rollback")
                .body(text(document(objectEvent("shipping", good), bad))).post("/epcis/capture")
                .then().statusCode(400)
                .body("type", equalTo("urn:tracemark:problem:validation-failed"))
                .body("detail", containsString("epcisBody.eventList[1]"))
                .body("violations[0].field", equalTo("epcisBody.eventList[1].epcList[0]"))
                .body("violations[0].message", containsString("indicator and item reference"));

        assertEquals(before, ledgerCount());
        asAdmin().queryParam("MATCH_epc", good).get("/epcis/events").then().statusCode(200)
                .body("epcisBody.queryResults.resultsBody.eventList.size()", equalTo(0));
    }

    @Test
    void proceedStoresTheGoodEventsAndReportsTheBadOnes() {
        String good = sgtinUrn(gtin14(), serial());
        String alsoGood = sgtinUrn(gtin14(), serial());
        ObjectNode bad = objectEvent("shipping", sgtinUrn(gtin14(), serial()));
        bad.put("eventTime", "2026-11-23 10:15");
        Epcis.LedgerCount before = ledgerCount();

        Response accepted = asAdmin().header("GS1-Capture-Error-Behaviour", "proceed")
                .body(text(document(objectEvent("shipping", good), bad, objectEvent("receiving", alsoGood))))
                .post("/epcis/capture");
        accepted.then().statusCode(202)
                .body("success", equalTo(false))
                .body("running", equalTo(false))
                .body("captureErrorBehaviour", equalTo("proceed"))
                .body("storedCount", equalTo(2))
                .body("errors.size()", equalTo(1))
                .body("errors[0].type", equalTo("urn:tracemark:problem:validation-failed"))
                .body("errors[0].detail", startsWith("epcisBody.eventList[1] was not stored"))
                .body("errors[0].violations.field", hasItem("epcisBody.eventList[1].eventTime"));

        asAdmin().get(accepted.header("Location")).then().statusCode(200)
                .body("success", equalTo(false)).body("errors[0].violations.field", hasItem("epcisBody.eventList[1].eventTime"));
        assertEquals(before.events() + 2, ledgerCount().events());
        asAdmin().queryParam("MATCH_epc", good + "|" + alsoGood).get("/epcis/events").then().statusCode(200)
                .body("epcisBody.queryResults.resultsBody.eventList.size()", equalTo(2));
    }

    @Test
    void refusesAnUnknownErrorBehaviour() {
        Epcis.LedgerCount before = ledgerCount();
        asAdmin().header("GS1-Capture-Error-Behaviour", "all")
                .body(text(document(objectEvent("shipping", sgtinUrn(gtin14(), serial()))))).post("/epcis/capture")
                .then().statusCode(400).body("violations[0].field", equalTo("GS1-Capture-Error-Behaviour"));
        assertEquals(before, ledgerCount());
    }

    @Test
    void announcesItsCaptureLimitsAndKeepsToThem() {
        Response options = asAdmin().options("/epcis/capture");
        options.then().statusCode(204)
                .header("Allow", containsString("POST"))
                .header("GS1-Capture-Error-Behaviour", containsString("proceed"))
                .header("GS1-EPCIS-Version", equalTo("2.0.0"));
        int eventLimit = Integer.parseInt(options.header("GS1-EPCIS-Capture-Limit"));
        int sizeLimit = Integer.parseInt(options.header("GS1-EPCIS-Capture-File-Size-Limit"));
        Epcis.LedgerCount before = ledgerCount();

        ObjectNode[] tooMany = new ObjectNode[eventLimit + 1];
        String gtin = gtin14();
        for (int i = 0; i < tooMany.length; i++) {
            tooMany[i] = objectEvent("shipping", sgtinUrn(gtin, serial()));
        }
        asAdmin().body(text(document(tooMany))).post("/epcis/capture").then().statusCode(413)
                .body("type", equalTo("urn:tracemark:problem:payload-too-large"))
                .body("detail", containsString(String.valueOf(eventLimit)))
                .header("GS1-EPCIS-Capture-Limit", equalTo(String.valueOf(eventLimit)))
                .header("GS1-EPCIS-Capture-File-Size-Limit", equalTo(String.valueOf(sizeLimit)));

        ObjectNode big = objectEvent("shipping", sgtinUrn(gtin, serial()));
        big.put("example:note", "x".repeat(sizeLimit));
        asAdmin().body(text(document(big))).post("/epcis/capture").then().statusCode(413)
                .header("GS1-EPCIS-Capture-File-Size-Limit", equalTo(String.valueOf(sizeLimit)));
        asAdmin().body(text(withContext(big))).post("/epcis/events").then().statusCode(413);
        assertEquals(before, ledgerCount());
    }

    @Test
    void acceptsJsonAndJsonLdOnly() {
        Epcis.LedgerCount before = ledgerCount();
        asAdmin().contentType("application/xml").body("<epcis:EPCISDocument/>").post("/epcis/capture")
                .then().statusCode(415).body("type", equalTo("urn:tracemark:problem:unsupported-media-type"));
        assertEquals(before, ledgerCount());
    }

    @Test
    void capturesAnEpcisQueryDocumentToo() {
        ObjectNode event = objectEvent("receiving", sgtinUrn(gtin14(), serial()));
        ObjectNode answer = Epcis.JSON.createObjectNode();
        answer.putArray("@context").add(Epcis.CONTEXT);
        answer.put("type", "EPCISQueryDocument");
        answer.put("schemaVersion", "2.0");
        answer.put("creationDate", "2026-11-23T10:20:00Z");
        answer.putObject("epcisBody").putObject("queryResults").put("queryName", "SimpleEventQuery")
                .putObject("resultsBody").putArray("eventList").add(event);

        asAdmin().body(text(answer)).post("/epcis/capture").then().statusCode(202).body("storedCount", equalTo(1));
    }

    @Test
    void refusesClientsThatNeedAnotherVersionOfEpcisOrCbv() {
        Epcis.LedgerCount before = ledgerCount();
        String body = text(document(objectEvent("shipping", sgtinUrn(gtin14(), serial()))));
        asAdmin().header("GS1-EPCIS-Min", "2.1").body(body).post("/epcis/capture").then().statusCode(406)
                .body("type", equalTo("urn:tracemark:problem:not-acceptable"))
                .body("detail", containsString("2.0.0"));
        asAdmin().header("GS1-CBV-Max", "1.2.0").get("/epcis/events").then().statusCode(406);
        asAdmin().header("GS1-EPCIS-Max", "two").get("/epcis/events").then().statusCode(400)
                .body("violations[0].field", equalTo("GS1-EPCIS-Max"));
        assertEquals(before, ledgerCount());
        asAdmin().header("GS1-EPCIS-Min", "1.2.0").header("GS1-EPCIS-Max", "2.0").body(body).post("/epcis/capture")
                .then().statusCode(202);
    }
}
