package io.tracemark.trace.epcis;

import static io.tracemark.trace.Api.asAdmin;
import static io.tracemark.trace.epcis.Epcis.document;
import static io.tracemark.trace.epcis.Epcis.gtin14;
import static io.tracemark.trace.epcis.Epcis.objectEvent;
import static io.tracemark.trace.epcis.Epcis.serial;
import static io.tracemark.trace.epcis.Epcis.sgtinUrn;
import static io.tracemark.trace.epcis.Epcis.text;
import static io.tracemark.trace.epcis.Epcis.withContext;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tracemark.fixtures.Gs1Numbers;

/**
 * The query interface, GET /epcis/events and its relatives: each EPCIS query parameter, paging,
 * and the way identifiers are written in answers.
 */
@QuarkusTest
class EpcisQueryTest {

    private static final String FACTORY = "urn:epc:id:sgln:950611.000001.0";
    private static final String FACTORY_DIGITAL_LINK = "https://id.gs1.org/414/" + Gs1Numbers.withCheckDigit("950611000001");
    private static final String WAREHOUSE = "urn:epc:id:sgln:950611.000002.0";
    private static final String BOTTLING = "https://example.com/steps/bottling";
    private static final AtomicLong CASES = new AtomicLong(System.nanoTime() % 1_000_000_000L);
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>; rel=\"next\"");

    /**
     * One item's story: commissioned (ADD), packed into a case (ADD), shipped (OBSERVE, in transit,
     * counted by lot), then bottled into a second item: one event a day from 1 January 2026.
     */
    record Story(String gtin, String item, String item2, String sscc, String ssccDigitalLink, String lot,
            String gtinPattern, List<String> eventIds) {

        String any() {
            return item + "|" + item2;
        }
    }

    static Story story() {
        String gtin = gtin14();
        String itemRef = gtin.charAt(0) + gtin.substring(7, 13);
        String item = sgtinUrn(gtin, serial());
        String item2 = sgtinUrn(gtin, serial());
        String serialRef = "0" + String.format("%010d", CASES.incrementAndGet() % 10_000_000_000L);
        String sscc = "urn:epc:id:sscc:950600." + serialRef;
        String ssccDigitalLink = "https://id.gs1.org/00/" + Gs1Numbers.withCheckDigit("0950600" + serialRef.substring(1));
        String lot = "urn:epc:class:lgtin:950600." + itemRef + ".L1";

        ObjectNode commissioning = objectEvent("commissioning", item);
        commissioning.put("action", "ADD");
        commissioning.put("eventTime", "2026-01-01T08:00:00.000+01:00");
        commissioning.put("disposition", "active");
        commissioning.putObject("bizLocation").put("id", FACTORY);

        ObjectNode packing = Epcis.JSON.createObjectNode();
        packing.put("type", "AggregationEvent");
        packing.put("eventTime", "2026-01-02T08:00:00.000+01:00");
        packing.put("eventTimeZoneOffset", "+01:00");
        packing.put("parentID", sscc);
        packing.putArray("childEPCs").add(item);
        packing.putArray("childQuantityList").addObject().put("epcClass", lot).put("quantity", 10);
        packing.put("action", "ADD");
        packing.put("bizStep", "packing");
        packing.putObject("readPoint").put("id", FACTORY);

        ObjectNode shipping = objectEvent("shipping", item);
        shipping.put("eventTime", "2026-01-03T08:00:00.000+01:00");
        shipping.put("disposition", "in_transit");
        shipping.putObject("bizLocation").put("id", WAREHOUSE);
        shipping.putArray("quantityList").addObject().put("epcClass", lot).put("quantity", 5);

        ObjectNode bottling = Epcis.JSON.createObjectNode();
        bottling.put("type", "TransformationEvent");
        bottling.put("eventTime", "2026-01-04T08:00:00.000+01:00");
        bottling.put("eventTimeZoneOffset", "+01:00");
        bottling.putArray("inputEPCList").add(item);
        bottling.putArray("outputEPCList").add(item2);
        bottling.put("bizStep", BOTTLING);

        List<String> ids = new ArrayList<>();
        for (ObjectNode event : List.of(commissioning, packing, shipping, bottling)) {
            event.put("eventID", "urn:uuid:" + UUID.randomUUID());
            ids.add(event.get("eventID").asText());
        }
        asAdmin().body(text(document(commissioning, packing, shipping, bottling))).post("/epcis/capture")
                .then().statusCode(202).body("success", equalTo(true));
        return new Story(gtin, item, item2, sscc, ssccDigitalLink, lot,
                "urn:epc:idpat:sgtin:950600." + itemRef + ".*", ids);
    }

    /** The business steps of the events a query finds, in the order they come. */
    private static List<String> steps(Map<String, String> parameters) {
        return query(parameters).then().statusCode(200).extract().jsonPath()
                .getList("epcisBody.queryResults.resultsBody.eventList.bizStep", String.class);
    }

    private static Response query(Map<String, String> parameters) {
        return asAdmin().queryParams(parameters).get("/epcis/events");
    }

    private static Map<String, String> params(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    @Test
    void eventType() {
        Story story = story();
        assertEquals(List.of("packing", BOTTLING),
                steps(params("MATCH_anyEPC", story.any(), "eventType", "AggregationEvent|TransformationEvent")));
    }

    @Test
    void eventTimeBetweenAnInclusiveStartAndAnExclusiveEnd() {
        Story story = story();
        assertEquals(List.of("packing"), steps(params("MATCH_anyEPC", story.any(),
                "GE_eventTime", "2026-01-02T08:00:00.000+01:00", "LT_eventTime", "2026-01-03T08:00:00.000+01:00")));
        // The same instants written in UTC.
        assertEquals(List.of("packing", "shipping"), steps(params("MATCH_anyEPC", story.any(),
                "GE_eventTime", "2026-01-02T07:00:00Z", "LT_eventTime", "2026-01-03T07:00:00.001Z")));
    }

    @Test
    void recordTimeIsWhenTheLedgerReceivedTheEvent() throws InterruptedException {
        String gtin = gtin14();
        String earlier = sgtinUrn(gtin, serial());
        String later = sgtinUrn(gtin, serial());
        asAdmin().body(text(withContext(objectEvent("receiving", earlier)))).post("/epcis/events").then().statusCode(201);
        Thread.sleep(5);
        String recorded = asAdmin().body(text(withContext(objectEvent("storing", later)))).post("/epcis/events")
                .then().statusCode(201).extract().jsonPath().getString("recordTime");

        String both = earlier + "|" + later;
        assertEquals(List.of("storing"), steps(params("MATCH_epc", both, "GE_recordTime", recorded)));
        assertEquals(List.of("receiving"), steps(params("MATCH_epc", both, "LT_recordTime", recorded)));
    }

    @Test
    void actionBizStepAndDisposition() {
        Story story = story();
        assertEquals(List.of("commissioning", "packing"), steps(params("MATCH_anyEPC", story.any(), "EQ_action", "ADD")));
        assertEquals(List.of("shipping"), steps(params("MATCH_anyEPC", story.any(), "EQ_bizStep", "shipping")));
        // CBV values match whichever of their three spellings is used.
        assertEquals(List.of("shipping"), steps(params("MATCH_anyEPC", story.any(),
                "EQ_bizStep", "urn:epcglobal:cbv:bizstep:shipping")));
        assertEquals(List.of("packing", BOTTLING), steps(params("MATCH_anyEPC", story.any(),
                "EQ_bizStep", "https://ref.gs1.org/cbv/BizStep-packing|" + BOTTLING)));
        assertEquals(List.of("shipping"), steps(params("MATCH_anyEPC", story.any(), "EQ_disposition", "in_transit")));
    }

    @Test
    void readPointAndBizLocationInEitherSyntax() {
        Story story = story();
        assertEquals(List.of("commissioning", "packing", "shipping"),
                steps(params("MATCH_anyEPC", story.any(), "EQ_readPoint", FACTORY_DIGITAL_LINK)));
        assertEquals(List.of("shipping"), steps(params("MATCH_anyEPC", story.any(), "EQ_bizLocation", WAREHOUSE)));
        assertEquals(List.of("commissioning"), steps(params("MATCH_anyEPC", story.any(), "EQ_bizLocation", FACTORY)));
    }

    @Test
    void matchEpcFindsAnItemInEpcListsAndChildrenWhicheverWayItIsWritten() {
        Story story = story();
        String itemAsDigitalLink = EpcisResourceTestSupport.digitalLinkOf(story.item());
        assertEquals(List.of("commissioning", "packing", "shipping"), steps(params("MATCH_epc", itemAsDigitalLink)));
        assertEquals(List.of("commissioning", "packing", "shipping"), steps(params("MATCH_epc", story.item())));
        // A pattern of the GTIN stands for every item of it.
        assertEquals(List.of("commissioning", "packing", "shipping"), steps(params("MATCH_epc", story.gtinPattern())));
    }

    @Test
    void matchParentInputOutputAndAny() {
        Story story = story();
        assertEquals(List.of("packing"), steps(params("MATCH_parentID", story.ssccDigitalLink())));
        assertEquals(List.of("packing"), steps(params("MATCH_parentID", story.sscc())));
        assertEquals(List.of(BOTTLING), steps(params("MATCH_inputEPC", story.item())));
        assertEquals(List.of(BOTTLING), steps(params("MATCH_outputEPC", story.item2())));
        assertEquals(List.of(BOTTLING), steps(params("MATCH_anyEPC", story.item2())));
        assertEquals(List.of("packing"), steps(params("MATCH_anyEPC", story.sscc())));
        assertEquals(List.of("commissioning", "packing", "shipping", BOTTLING), steps(params("MATCH_anyEPC", story.item())));
    }

    @Test
    void matchEpcClassByLotOrByTheGtinOfEveryLot() {
        Story story = story();
        assertEquals(List.of("packing", "shipping"), steps(params("MATCH_epcClass", story.lot())));
        assertEquals(List.of("packing", "shipping"), steps(params("MATCH_epcClass", story.gtinPattern())));
        assertEquals(List.of("packing", "shipping"),
                steps(params("MATCH_epcClass", "https://id.gs1.org/01/" + story.gtin() + "/10/L1")));
        assertEquals(List.of("packing", "shipping"), steps(params("MATCH_anyEPCClass", story.lot())));
    }

    @Test
    void eventIdAndTheEventsOwnResource() {
        Story story = story();
        assertEquals(List.of("shipping"), steps(params("EQ_eventID", story.eventIds().get(2))));
        assertEquals(List.of("packing", BOTTLING),
                steps(params("EQ_eventID", story.eventIds().get(1) + "|" + story.eventIds().get(3))));
        asAdmin().get("/epcis/events/" + story.eventIds().get(2)).then().statusCode(200)
                .body("epcisBody.queryResults.resultsBody.eventList.bizStep", equalTo(List.of("shipping")));
        asAdmin().get("/epcis/events/urn:uuid:" + UUID.randomUUID()).then().statusCode(404)
                .body("type", equalTo("urn:tracemark:problem:not-found"));
    }

    @Test
    void orderByEventTimeWithACountLimitFindsTheLatest() {
        Story story = story();
        assertEquals(List.of(BOTTLING, "shipping", "packing", "commissioning"),
                steps(params("MATCH_anyEPC", story.any(), "orderBy", "eventTime", "orderDirection", "DESC")));
        assertEquals(List.of("commissioning", "packing", "shipping", BOTTLING),
                steps(params("MATCH_anyEPC", story.any(), "orderBy", "eventTime", "orderDirection", "ASC")));
        assertEquals(List.of("shipping"), steps(params("MATCH_epc", story.item(), "orderBy", "eventTime",
                "eventCountLimit", "1")));
        query(params("MATCH_epc", story.item(), "eventCountLimit", "1")).then().statusCode(400)
                .body("violations[0].field", equalTo("eventCountLimit"));
        query(params("orderBy", "quantity")).then().statusCode(400).body("violations[0].field", equalTo("orderBy"));
        query(params("orderBy", "eventTime", "orderDirection", "UP")).then().statusCode(400)
                .body("violations[0].field", equalTo("orderDirection"));
    }

    @Test
    void maxEventCountRefusesALargerAnswer() {
        Story story = story();
        query(params("MATCH_anyEPC", story.any(), "maxEventCount", "3")).then().statusCode(413)
                .body("type", equalTo("urn:tracemark:problem:query-too-large"))
                .body("detail", containsString("4 events"));
        assertEquals(4, steps(params("MATCH_anyEPC", story.any(), "maxEventCount", "4")).size());
        query(params("maxEventCount", "3", "eventCountLimit", "2", "orderBy", "eventTime")).then().statusCode(400)
                .body("violations.field", hasItem("maxEventCount"));
    }

    @Test
    void errorDeclarationsAreEventsThatPointToTheirCorrection() {
        Story story = story();
        ObjectNode corrected = objectEvent("shipping", story.item());
        corrected.put("eventTime", "2026-01-03T09:00:00.000+01:00");
        corrected.put("eventID", "urn:uuid:" + UUID.randomUUID());
        ObjectNode declaration = objectEvent("shipping", story.item());
        declaration.put("eventTime", "2026-01-03T08:00:00.000+01:00");
        declaration.put("disposition", "in_transit");
        declaration.putObject("errorDeclaration").put("declarationTime", "2026-01-05T10:00:00.000+01:00")
                .put("reason", "incorrect_data").putArray("correctiveEventIDs").add(corrected.get("eventID").asText());
        asAdmin().body(text(document(declaration, corrected))).post("/epcis/capture").then().statusCode(202);

        Response found = query(params("MATCH_epc", story.item(), "EXISTS_errorDeclaration", ""));
        found.then().statusCode(200)
                .body("epcisBody.queryResults.resultsBody.eventList.size()", equalTo(1))
                .body("epcisBody.queryResults.resultsBody.eventList[0].errorDeclaration.correctiveEventIDs[0]",
                        equalTo(corrected.get("eventID").asText()));
        assertEquals(1, steps(params("MATCH_epc", story.item(), "EQ_errorReason", "urn:epcglobal:cbv:er:incorrect_data")).size());
        assertEquals(1, steps(params("MATCH_epc", story.item(), "GE_errorDeclarationTime", "2026-01-05T00:00:00Z")).size());
        assertEquals(0, steps(params("MATCH_epc", story.item(), "LT_errorDeclarationTime", "2026-01-05T00:00:00Z")).size());
        // The original stays in the ledger as it was captured.
        asAdmin().get("/epcis/events/" + story.eventIds().get(2)).then().statusCode(200)
                .body("epcisBody.queryResults.resultsBody.eventList[0]", not(org.hamcrest.Matchers.hasKey("errorDeclaration")));
    }

    @Test
    void pagesFollowTheLinkHeaderWithATokenThatCarriesTheQuery() {
        Story story = story();
        List<String> unpaged = steps(params("MATCH_anyEPC", story.any()));

        List<String> paged = new ArrayList<>();
        Response page = query(params("MATCH_anyEPC", story.any(), "perPage", "1"));
        int pages = 0;
        while (true) {
            page.then().statusCode(200);
            pages++;
            paged.addAll(page.jsonPath().getList("epcisBody.queryResults.resultsBody.eventList.bizStep", String.class));
            String link = page.header("Link");
            if (link == null) {
                assertNull(page.header("GS1-Next-Page-Token-Expires"));
                break;
            }
            assertNotNull(page.header("GS1-Next-Page-Token-Expires"));
            Matcher next = NEXT.matcher(link);
            assertTrue(next.matches(), link);
            assertTrue(next.group(1).contains("perPage=1") && !next.group(1).contains("MATCH_anyEPC"), next.group(1));
            page = asAdmin().urlEncodingEnabled(false).get(next.group(1));
        }
        assertEquals(4, pages);
        assertEquals(unpaged, paged);

        // Ordered by event time and limited in count, the pages stop at the limit.
        Response first = query(params("MATCH_anyEPC", story.any(), "orderBy", "eventTime", "eventCountLimit", "3",
                "perPage", "2"));
        assertEquals(List.of(BOTTLING, "shipping"),
                first.jsonPath().getList("epcisBody.queryResults.resultsBody.eventList.bizStep", String.class));
        Matcher next = NEXT.matcher(first.header("Link"));
        assertTrue(next.matches());
        Response second = asAdmin().urlEncodingEnabled(false).get(next.group(1));
        assertEquals(List.of("packing"),
                second.jsonPath().getList("epcisBody.queryResults.resultsBody.eventList.bizStep", String.class));
        assertNull(second.header("Link"));
    }

    @Test
    void aPageTokenCannotBeForgedOrReusedForAnotherQuery() {
        Story story = story();
        Response first = query(params("MATCH_anyEPC", story.any(), "perPage", "1"));
        String token = first.header("Link").replaceAll(".*nextPageToken=([^>&]+).*", "$1");

        // The first character: every bit of it counts (the last one of a base64 MAC has bits to spare).
        char head = token.charAt(0);
        String forged = (head == 'A' ? "B" : "A") + token.substring(1);
        query(params("perPage", "1", "nextPageToken", forged)).then().statusCode(400)
                .body("violations[0].field", equalTo("nextPageToken"));
        query(params("perPage", "1", "nextPageToken", "not-a-token")).then().statusCode(400)
                .body("violations[0].field", equalTo("nextPageToken"));
        query(params("perPage", "1", "nextPageToken", token, "MATCH_anyEPC", story.item2())).then().statusCode(400)
                .body("violations[0].message", containsString("another query"));
        asAdmin().queryParam("nextPageToken", token).get("/epcis/epcs/" + story.item() + "/events").then().statusCode(400)
                .body("violations[0].message", containsString("another resource"));
        query(params("perPage", "1", "nextPageToken", token)).then().statusCode(200);
        query(params("perPage", "0")).then().statusCode(400).body("violations[0].field", equalTo("perPage"));
        query(params("perPage", "many")).then().statusCode(400).body("violations[0].field", equalTo("perPage"));
    }

    @Test
    void epcFormatHeaderChoosesHowIdentifiersAreWritten() {
        String gtin = gtin14();
        String serial = serial();
        String urn = sgtinUrn(gtin, serial);
        String digitalLink = "https://id.tracemark.example/01/" + gtin + "/21/" + serial;
        ObjectNode event = withContext(objectEvent("shipping", digitalLink));
        String location = asAdmin().body(text(event)).post("/epcis/events").then().statusCode(201).extract().header("Location");

        // The binding's default is Digital Link; one already written as a Digital Link stays as sent.
        asAdmin().urlEncodingEnabled(false).get(location).then().statusCode(200)
                .body("epcisBody.queryResults.resultsBody.eventList[0].epcList[0]", equalTo(digitalLink))
                .body("epcisBody.queryResults.resultsBody.eventList[0].readPoint.id", equalTo(FACTORY_DIGITAL_LINK));
        asAdmin().urlEncodingEnabled(false).header("GS1-EPC-Format", "Always_EPC_URN").get(location).then().statusCode(200)
                .body("epcisBody.queryResults.resultsBody.eventList[0].epcList[0]", equalTo(urn))
                .body("epcisBody.queryResults.resultsBody.eventList[0].readPoint.id", equalTo(FACTORY));
        asAdmin().urlEncodingEnabled(false).header("GS1-EPC-Format", "Never_Translates").get(location).then().statusCode(200)
                .body("epcisBody.queryResults.resultsBody.eventList[0].epcList[0]", equalTo(digitalLink))
                .body("epcisBody.queryResults.resultsBody.eventList[0].readPoint.id", equalTo(FACTORY));
        asAdmin().urlEncodingEnabled(false).header("GS1-EPC-Format", "Sometimes").get(location).then().statusCode(400)
                .body("violations[0].field", equalTo("GS1-EPC-Format"));
        // Captured as a Digital Link on our own resolver, found by its URN.
        assertEquals(List.of("shipping"), steps(params("MATCH_epc", urn)));
    }

    @Test
    void unknownAndUnsupportedParametersAreNamed() {
        query(params("MATCH_epcs", "urn:epc:id:sgtin:950600.0000001.1", "colour", "red")).then().statusCode(400)
                .body("type", equalTo("urn:tracemark:problem:validation-failed"))
                .body("violations.field", hasItems("MATCH_epcs", "colour"))
                .body("violations.message", hasItem(containsString("not a query parameter")));
        query(params("EQ_quantity", "3")).then().statusCode(400)
                .body("violations[0].field", equalTo("EQ_quantity"))
                .body("violations[0].message", containsString("does not support"));
        asAdmin().get("/epcis/events?EQ_action=ADD&EQ_action=OBSERVE").then().statusCode(400)
                .body("violations[0].field", equalTo("EQ_action"))
                .body("violations[0].message", containsString("separated by |"));
        query(params("EQ_action", "MOVE")).then().statusCode(400).body("violations[0].field", equalTo("EQ_action"));
        query(params("GE_eventTime", "yesterday")).then().statusCode(400).body("violations[0].field", equalTo("GE_eventTime"));
        query(params("MATCH_epc", "urn:epc:id:sgtin:1.2.3")).then().statusCode(400)
                .body("violations[0].field", equalTo("MATCH_epc"));
    }

    @Test
    void eventsOfOneEpcByItsUrnOrItsEncodedDigitalLink() {
        Story story = story();
        asAdmin().get("/epcis/epcs/" + story.item() + "/events").then().statusCode(200)
                .header("GS1-EPCIS-Version", equalTo("2.0.0"))
                .body("epcisBody.queryResults.resultsBody.eventList.bizStep",
                        equalTo(List.of("commissioning", "packing", "shipping", BOTTLING)));
        asAdmin().urlEncodingEnabled(false)
                .get("/epcis/epcs/" + EpcisResource.pathSegment(EpcisResourceTestSupport.digitalLinkOf(story.item())) + "/events")
                .then().statusCode(200)
                .body("epcisBody.queryResults.resultsBody.eventList.size()", equalTo(4));
        asAdmin().queryParam("EQ_bizStep", "shipping").get("/epcis/epcs/" + story.item() + "/events").then().statusCode(200)
                .body("epcisBody.queryResults.resultsBody.eventList.bizStep", equalTo(List.of("shipping")));
        asAdmin().get("/epcis/epcs/urn:epc:id:sgtin:1.2.3/events").then().statusCode(400)
                .body("violations[0].field", equalTo("epc"));
    }

    @Test
    void eventTypesAndBizStepsListTheStandardOnesAndWhatTheLedgerHolds() {
        story();
        asAdmin().get("/epcis/eventTypes").then().statusCode(200)
                .body("type", equalTo("Collection"))
                .body("member", hasItems("ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent",
                        "AssociationEvent"));
        asAdmin().get("/epcis/bizSteps").then().statusCode(200)
                .body("type", equalTo("Collection"))
                .body("member", hasItems("commissioning", "shipping", "retail_selling", BOTTLING));
    }

    @Test
    void answersAreJsonLdWhenAskedFor() {
        Story story = story();
        Response answer = asAdmin().accept("application/ld+json").queryParam("MATCH_anyEPC", story.any()).get("/epcis/events");
        answer.then().statusCode(200).contentType(containsString("application/ld+json"))
                .header("GS1-CBV-Version", equalTo("2.0.0"));
        assertFalse(new EpcisSchema().validate(Epcis.parse(answer.asString())).iterator().hasNext(),
                "the answer follows the EPCIS schema");
    }
}
