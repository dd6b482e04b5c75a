package io.tracemark.trace.epcis;

import static io.tracemark.trace.Api.asAdmin;
import static io.tracemark.trace.Api.asStation;
import static io.tracemark.trace.epcis.Epcis.at;
import static io.tracemark.trace.epcis.Epcis.codes;
import static io.tracemark.trace.epcis.Epcis.document;
import static io.tracemark.trace.epcis.Epcis.ledgerCount;
import static io.tracemark.trace.epcis.Epcis.objectEvent;
import static io.tracemark.trace.epcis.Epcis.site;
import static io.tracemark.trace.epcis.Epcis.text;
import static io.tracemark.trace.epcis.Epcis.withContext;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.tracemark.trace.Api;

/**
 * What a caller may capture: admins anything; partners at the sites an admin assigned them;
 * stations at their line's factory for their line's codes; operators at the brand owner's own
 * sites. Recalls and the end of an item's code are the brand owner's (and a recall an
 * authority's) whatever the place. A refused event is a 403 naming the field, and stores nothing.
 */
@QuarkusTest
class CaptureScopeTest {

    private static final String FORBIDDEN = "urn:tracemark:problem:forbidden";

    /** A genuine item: a code of a batch made on a line of a factory, commissioned there. */
    record Genuine(long batchId, long lineId, Epcis.Site factory, String code, String trace) {
    }

    private static Genuine genuine() {
        Epcis.Site factory = site("factory");
        long line = Api.line(factory.id());
        long batch = Api.batch(Api.product(), line);
        String code = codes(batch, 2).get(0);
        ObjectNode commissioning = at(objectEvent("commissioning", code), factory.gln());
        commissioning.put("action", "ADD");
        commissioning.put("disposition", "active");
        asAdmin().body(text(document(commissioning))).post("/epcis/capture").then().statusCode(202);
        return new Genuine(batch, line, factory, code, "/api/trace/" + URLEncoder.encode(code, StandardCharsets.UTF_8));
    }

    private static String lotClass(long batchId) {
        var batch = asAdmin().get("/api/batches/" + batchId).then().statusCode(200).extract().jsonPath();
        return "https://id.gs1.org/01/" + batch.getString("gtin") + "/10/" + batch.getString("lot");
    }

    private static String disposition(Genuine item) {
        return asAdmin().urlEncodingEnabled(false).get(item.trace()).then().statusCode(200).extract().jsonPath()
                .getString("current.disposition");
    }

    @Test
    void aPartnerWithNoSiteCannotDecommissionAGenuineItemAtTheFactoryNorSellItAtAShop() {
        Genuine item = genuine();
        Epcis.Site shop = site("retailer");
        RequestSpecification stranger = Api.partner("scope-no-site");
        Epcis.LedgerCount before = ledgerCount();
        String state = disposition(item);

        ObjectNode decommissioning = at(objectEvent("decommissioning", item.code()), item.factory().gln());
        decommissioning.put("action", "DELETE");
        decommissioning.put("disposition", "inactive");
        stranger.body(text(document(decommissioning))).post("/epcis/capture").then().statusCode(403)
                .body("type", equalTo(FORBIDDEN))
                .body("violations.field", hasItem("epcisBody.eventList[0].bizStep"))
                .body("violations.message", hasItem(containsString("only admins and operators may record")));

        ObjectNode sale = at(objectEvent("retail_selling", item.code()), shop.gln());
        sale.put("disposition", "retail_sold");
        stranger.body(text(document(sale))).post("/epcis/capture").then().statusCode(403)
                .body("type", equalTo(FORBIDDEN))
                .body("violations.field", hasItem("epcisBody.eventList[0].bizLocation.id"))
                .body("violations.message", hasItem(containsString("no site is assigned to you yet")));
        stranger.body(text(withContext(sale))).post("/epcis/events").then().statusCode(403)
                .body("violations.field", hasItem("event.readPoint.id"));

        assertEquals(before, ledgerCount());
        assertEquals("active", state);
        assertEquals(state, disposition(item));
        asAdmin().urlEncodingEnabled(false).get(item.trace()).then().body("sold", nullValue());
    }

    @Test
    void aPartnerCannotRecallAWholeLotWithAQuantityListEvenAtItsOwnSite() {
        Genuine item = genuine();
        Epcis.Site warehouse = site("warehouse");
        ObjectNode recall = at(objectEvent("holding"), warehouse.gln());
        recall.remove("epcList");
        recall.putArray("quantityList").addObject().put("epcClass", lotClass(item.batchId()));
        recall.put("disposition", "recalled");
        Epcis.LedgerCount before = ledgerCount();

        for (RequestSpecification partner : List.of(Api.partner("scope-recall-none"),
                Api.partner("scope-recall-own", warehouse.id()))) {
            partner.body(text(document(recall))).post("/epcis/capture").then().statusCode(403)
                    .body("violations.field", equalTo(List.of("epcisBody.eventList[0].disposition")))
                    .body("violations[0].message", containsString("only admins, operators and regulators may record"));
        }
        assertEquals(before, ledgerCount());
        asAdmin().urlEncodingEnabled(false).get(item.trace()).then().body("recalled", equalTo(false));
        // A partner that may not recall at the API may not at the movement endpoint either.
        Api.partner("scope-recall-own", warehouse.id()).body(Map.of("requestId", "scope-recall-1",
                "batchId", item.batchId())).post("/api/movements/recall").then().statusCode(403);
    }

    @Test
    void aStationKeyCapturesOnlyAtItsFactoryAndOnlyForItsLinesCodes() {
        Genuine item = genuine();
        String key = Api.stationKey(item.lineId());
        long otherLine = Api.line(item.factory().id());
        String otherLinesCode = codes(Api.batch(Api.product(), otherLine), 1).get(0);
        Epcis.Site elsewhere = site("warehouse");
        Epcis.LedgerCount before = ledgerCount();

        asStation(key).body(text(withContext(at(objectEvent("inspecting", item.code()), elsewhere.gln()))))
                .post("/epcis/events").then().statusCode(403)
                .body("violations.field", equalTo(List.of("event.readPoint.id", "event.bizLocation.id")))
                .body("violations[0].message", containsString("reports only at its line's factory"));
        asStation(key).body(text(withContext(at(objectEvent("inspecting", otherLinesCode), item.factory().gln()))))
                .post("/epcis/events").then().statusCode(403)
                .body("violations.field", equalTo(List.of("event.epcList[0]")))
                .body("violations[0].message", containsString("is not a code of a batch of line " + item.lineId()));
        ObjectNode lot = at(objectEvent("inspecting"), item.factory().gln());
        lot.remove("epcList");
        lot.putArray("quantityList").addObject().put("epcClass", lotClass(Api.batch(Api.product(), otherLine)));
        asStation(key).body(text(withContext(lot))).post("/epcis/events").then().statusCode(403)
                .body("violations.field", equalTo(List.of("event.quantityList[0].epcClass")));
        // The movement endpoints go through the same rules: a ship from another site is refused.
        asStation(key).body(Map.of("requestId", "scope-station-ship-" + System.nanoTime(),
                "from", Map.of("siteId", elsewhere.id()), "to", Map.of("siteId", item.factory().id()),
                "epcs", List.of(item.code()))).post("/api/movements/ship").then().statusCode(403)
                .body("violations.field", equalTo(List.of("from")));
        assertEquals(before, ledgerCount());

        asStation(key).body(text(withContext(at(objectEvent("inspecting", item.code()), item.factory().gln()))))
                .post("/epcis/events").then().statusCode(201);
        assertEquals(before.events() + 1, ledgerCount().events());
    }

    @Test
    void aPartnerCapturesAtItsOwnSiteWhateverTheOtherEndOfTheShipment() {
        Genuine item = genuine();
        Epcis.Site warehouse = site("warehouse");
        RequestSpecification partner = Api.partner("scope-own-site", warehouse.id());
        ObjectNode receiving = at(objectEvent("receiving", item.code()), warehouse.gln());
        receiving.putArray("sourceList").addObject().put("type", "owning_party")
                .put("source", "https://id.gs1.org/417/" + item.factory().gln());
        Epcis.LedgerCount before = ledgerCount();

        partner.body(text(document(receiving))).post("/epcis/capture").then().statusCode(202)
                .body("success", equalTo(true));
        assertEquals(before.events() + 1, ledgerCount().events());
        // An event naming its site only as the destination of someone else's shipment is not its own to write.
        ObjectNode shipping = at(objectEvent("shipping", item.code()), item.factory().gln());
        shipping.putArray("destinationList").addObject().put("type", "location")
                .put("destination", "https://id.gs1.org/414/" + warehouse.gln());
        partner.body(text(withContext(shipping))).post("/epcis/events").then().statusCode(403)
                .body("violations.field", equalTo(List.of("event.readPoint.id", "event.bizLocation.id")));
    }

    @Test
    void operatorsWriteAtTheBrandOwnersOwnSitesButNotAtAPartnersSite() {
        Genuine item = genuine();
        Epcis.Site partnersShop = site("retailer");
        Api.partner("scope-shop", partnersShop.id());
        RequestSpecification operator = Api.as("scope-operator", Api.user("scope-operator", "operator"));

        operator.body(text(withContext(at(objectEvent("inspecting", item.code()), item.factory().gln()))))
                .post("/epcis/events").then().statusCode(201);
        operator.body(text(withContext(at(objectEvent("inspecting", item.code()), partnersShop.gln()))))
                .post("/epcis/events").then().statusCode(403)
                .body("violations[0].message", containsString("the brand owner's own sites"));
    }

    @Test
    void underRollbackOneOutOfScopeEventStoresNothingUnderProceedTheJobListsIt() {
        Genuine item = genuine();
        Epcis.Site warehouse = site("warehouse");
        RequestSpecification partner = Api.partner("scope-behaviour", warehouse.id());
        ObjectNode mine = at(objectEvent("receiving", item.code()), warehouse.gln());
        ObjectNode notMine = at(objectEvent("shipping", item.code()), item.factory().gln());
        Epcis.LedgerCount before = ledgerCount();

        partner.body(text(document(mine, notMine))).post("/epcis/capture").then().statusCode(403)
                .body("detail", containsString("1 of 2 events are outside what you may capture"))
                .body("violations.field", hasItem("epcisBody.eventList[1].readPoint.id"));
        assertEquals(before, ledgerCount());

        String job = partner.header(EpcisResource.ERROR_BEHAVIOUR, "proceed").body(text(document(mine, notMine)))
                .post("/epcis/capture").then().statusCode(202)
                .body("success", equalTo(false))
                .body("eventCount", equalTo(2))
                .body("storedCount", equalTo(1))
                .body("errors[0].type", equalTo(FORBIDDEN))
                .body("errors[0].status", equalTo(403))
                .body("errors[0].detail", containsString("epcisBody.eventList[1] was not stored"))
                .body("errors[0].violations.field", hasItem("epcisBody.eventList[1].readPoint.id"))
                .extract().header("Location");
        assertEquals(before.events() + 1, ledgerCount().events());
        // The job is the partner's own; another partner is told it does not exist.
        partner.get(job).then().statusCode(200);
        Api.partner("scope-behaviour-other", warehouse.id()).get(job).then().statusCode(404);
    }
}
