package io.tracemark.trace.tracing;

import static io.tracemark.trace.Api.as;
import static io.tracemark.trace.Api.asAdmin;
import static io.tracemark.trace.tracing.TraceTest.encoded;
import static io.tracemark.trace.tracing.TraceTest.story;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.tracemark.trace.Api;

/**
 * What a regulator asks of the ledger: every item of a batch and where it is, the contents of a
 * case or pallet down to the batches, and the evidence for one item as an EPCIS document.
 */
@QuarkusTest
class TraceRegulatorTest {

    private static RequestSpecification regulator() {
        return as("tracing-regulator", Api.user("tracing-regulator", "regulator"));
    }

    @Test
    void everyItemOfABatchWithItsLastKnownPlaceAndStateAsJson() {
        TraceTest.Shipped story = story();
        JsonPath items = regulator().accept("application/json")
                .get("/api/trace/batches/" + story.batch().id() + "/items").then().statusCode(200)
                .body("batchId", equalTo((int) story.batch().id()))
                .body("lot", equalTo(story.batch().lot()))
                .body("items", hasSize(3))
                .extract().jsonPath();
        assertEquals(story.batch().serials(), items.getList("items.serial"));
        assertEquals(List.of("retail_sold", "in_progress"), items.getList("items.disposition").subList(0, 2));
        assertEquals("Tienda Barcelona", items.getString("items[0].soldPlace"));
        assertEquals("Tienda Barcelona", items.getString("items[1].locationName"));
        assertEquals("2026-11-06T17:30:00Z", items.getString("items[0].soldAt"));
        // The third code was issued but never commissioned: no event knows it.
        assertEquals(null, items.getString("items[2].lastEventTime"));
        assertEquals("ALLOCATED", items.getString("items[2].codeState"));
    }

    @Test
    void aRecalledLotListsEveryItemAsItsFullTraceTellsIt() {
        Story.Batch batch = Story.batch(2);
        Story.Site shop = Story.site("Tienda Valencia", "retailer", "Valencia", "ES", 39.47, -0.38);
        String sold = batch.uris().get(0);
        String later = batch.uris().get(1);
        Story.capture(Story.commissioning("2026-11-02T08:00:00.000+01:00", batch.factory(), sold, later),
                Story.selling("2026-11-06T18:30:00.000+01:00", shop, sold));
        regulator().contentType("application/json").body(Map.of("requestId", "recall-" + batch.id(), "batchId",
                batch.id(), "reason", "glass splinters", "eventTime", "2026-11-10T08:00:00+01:00"))
                .post("/api/movements/recall").then().statusCode(201);
        // An event dated after the recall: the recall no longer comes last in this item's story.
        Story.capture(Story.selling("2026-11-20T11:00:00.000+01:00", shop, later));

        JsonPath items = regulator().accept("application/json").get("/api/trace/batches/" + batch.id() + "/items")
                .then().statusCode(200).extract().jsonPath();
        for (int i = 0; i < 2; i++) {
            JsonPath trace = regulator().get("/api/trace/" + batch.serials().get(i)).then().statusCode(200)
                    .extract().jsonPath();
            assertEquals(true, items.getBoolean("items[" + i + "].recalled"));
            assertEquals(trace.getString("current.disposition"), items.getString("items[" + i + "].disposition"));
            assertEquals(trace.getString("current.bizStep"), items.getString("items[" + i + "].bizStep"));
            assertEquals(trace.getString("current.location.name"), items.getString("items[" + i + "].locationName"));
        }
        assertEquals("recalled", items.getString("items[0].disposition"));
        assertEquals("retail_sold", items.getString("items[1].disposition"));
        assertEquals("Tienda Valencia", items.getString("items[0].soldPlace"));
    }

    @Test
    void everyItemOfABatchAsCsvStreamedRowByRow() {
        TraceTest.Shipped story = story();
        String csv = regulator().accept("text/csv").get("/api/trace/batches/" + story.batch().id() + "/items").then()
                .statusCode(200).contentType(containsString("text/csv"))
                .header("Content-Disposition", containsString("batch-" + story.batch().id() + "-items.csv"))
                .extract().asString();
        List<String> lines = csv.lines().toList();
        assertEquals("serial,uri,codeState,lastEventTime,bizStep,disposition,locationGln,locationName,locationCity,"
                + "locationCountry,custodianName,soldAt,soldPlace,recalled", lines.get(0));
        assertEquals(4, lines.size());
        assertTrue(lines.get(1).startsWith(story.batch().serials().get(0) + "," + story.batch().uris().get(0)
                + ",ALLOCATED,2026-11-06T17:30:00Z,retail_selling,retail_sold,"), lines.get(1));
        assertTrue(lines.get(1).endsWith(",Tienda Barcelona,Barcelona,ES,Tienda Barcelona,2026-11-06T17:30:00Z,"
                + "Tienda Barcelona,false"), lines.get(1));
    }

    @Test
    void aBatchOfThousandsStreamsOneRowPerCodeInCounterOrder() {
        Story.Batch batch = Story.batch(1);
        asAdmin().body(Map.of("count", 2999)).post("/api/batches/" + batch.id() + "/codes").then().statusCode(201);
        List<String> uris = asAdmin().get("/api/batches/" + batch.id() + "/codes?size=500").then().statusCode(200)
                .extract().jsonPath().getList("items.uri");
        Story.capture(Story.commissioning("2026-11-02T08:00:00.000+01:00", batch.factory(), uris.toArray(String[]::new)));
        List<String> lines = regulator().accept("text/csv").get("/api/trace/batches/" + batch.id() + "/items").then()
                .statusCode(200).extract().asString().lines().toList();
        assertEquals(3001, lines.size());
        assertEquals(500, lines.stream().filter(line -> line.contains(",commissioning,active,")).count());
        assertTrue(lines.get(1).startsWith(batch.serials().get(0) + ","));
    }

    @Test
    void aPalletIsTracedBackToItsCasesItemsAndBatches() {
        TraceTest.Shipped story = story();
        String pallet = Story.digits(story.palletSscc());
        for (String sscc : List.of(pallet, encoded(story.palletSscc()), encoded("urn:epc:id:sscc:950600."
                + pallet.charAt(0) + pallet.substring(7, 17)))) {
            regulator().urlEncodingEnabled(false).get("/api/trace/containers/" + sscc).then().statusCode(200)
                    .body("sscc", equalTo(pallet))
                    .body("contents", hasSize(1))
                    .body("contents[0].kind", equalTo("container"))
                    .body("contents[0].epc", equalTo("https://id.gs1.org/00/" + Story.digits(story.caseSscc())))
                    .body("contents[0].packedAt", equalTo("2026-11-02T09:00:00Z"))
                    .body("contents[0].unpackedAt", equalTo("2026-11-04T07:00:00Z"))
                    .body("contents[0].contents", hasSize(2))
                    .body("contents[0].contents.kind", everyItem(equalTo("item")))
                    .body("contents[0].contents.serial", equalTo(story.batch().serials().subList(0, 2)))
                    .body("contents[0].contents.batchId", everyItem(equalTo((int) story.batch().id())))
                    .body("contents[0].contents[0].unpackedAt", equalTo("2026-11-05T07:00:00Z"))
                    .body("batches", hasSize(1))
                    .body("batches[0].batchId", equalTo((int) story.batch().id()))
                    .body("batches[0].lot", equalTo(story.batch().lot()))
                    .body("batches[0].items", equalTo(2));
        }
        regulator().get("/api/trace/containers/123456789012345678").then().statusCode(400)
                .body("violations[0].field", equalTo("sscc"));
    }

    @Test
    void theEvidenceForOneItemIsAnEpcisDocumentThatPassesCaptureValidation() {
        TraceTest.Shipped story = story();
        String path = "/api/trace/" + encoded(story.bottle());
        List<String> steps = asAdmin().urlEncodingEnabled(false).get(path).then().statusCode(200).extract().jsonPath().getList("journey.bizStep");
        List<String> eventIds = asAdmin().urlEncodingEnabled(false).get(path).then().extract().jsonPath().getList("journey.eventID");
        JsonNode evidence = Story.JSON.valueToTree(regulator().urlEncodingEnabled(false).get(path + "/evidence").then().statusCode(200)
                .header("Content-Disposition", containsString("evidence-"))
                .body("type", equalTo("EPCISDocument"))
                .body("schemaVersion", equalTo("2.0"))
                .body("epcisBody.eventList.bizStep", equalTo(steps))
                .body("epcisBody.eventList.eventID", equalTo(eventIds))
                .extract().as(Map.class));
        // Every event is there as captured: the pallet's shipment with its source and destination.
        JsonNode shipment = evidence.path("epcisBody").path("eventList").get(3);
        assertEquals(story.palletSscc(), shipment.path("epcList").get(0).asText());
        assertEquals("owning_party", shipment.path("destinationList").get(0).path("type").asText());

        // Sent back to the capture interface, the only objection is that the ledger holds these events already.
        List<Map<String, String>> violations = asAdmin().body(Story.text(evidence)).post("/epcis/capture").then()
                .statusCode(400).extract().jsonPath().getList("violations");
        assertEquals(steps.size(), violations.size());
        for (int i = 0; i < violations.size(); i++) {
            assertEquals("epcisBody.eventList[" + i + "].eventID", violations.get(i).get("field"));
            assertTrue(violations.get(i).get("message").contains("was captured before"));
        }
    }

    @Test
    void onlyAdminsOperatorsAndRegulatorsAskTheseQuestions() {
        TraceTest.Shipped story = story();
        RequestSpecification partner = as("tracing-madrid", Api.user("tracing-madrid", "partner"));
        partner.get("/api/trace/batches/" + story.batch().id() + "/items").then().statusCode(403);
        as("tracing-madrid", Api.user("tracing-madrid", "partner"))
                .get("/api/trace/containers/" + Story.digits(story.palletSscc())).then().statusCode(403);
        as("tracing-madrid", Api.user("tracing-madrid", "partner"))
                .urlEncodingEnabled(false).get("/api/trace/" + encoded(story.bottle()) + "/evidence").then().statusCode(403);
        asAdmin().get("/api/trace/batches/999999999/items").then().statusCode(404);
    }
}
