package io.tracemark.trace.epcis;

import static io.tracemark.trace.Api.asAdmin;
import static io.tracemark.trace.Api.asStation;
import static io.tracemark.trace.epcis.Epcis.at;
import static io.tracemark.trace.epcis.Epcis.gtin14;
import static io.tracemark.trace.epcis.Epcis.objectEvent;
import static io.tracemark.trace.epcis.Epcis.serial;
import static io.tracemark.trace.epcis.Epcis.sgtinUrn;
import static io.tracemark.trace.epcis.Epcis.site;
import static io.tracemark.trace.epcis.Epcis.text;
import static io.tracemark.trace.epcis.Epcis.time;
import static io.tracemark.trace.epcis.Epcis.withContext;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.tracemark.trace.Api;

/**
 * What partners and stations read: the events at their sites and the events of items while in
 * their custody, filtered before counting and paging, so that neither a page, a page token nor a
 * count tells a hidden event exists; a hidden event answers 404 as an unknown one.
 */
@QuarkusTest
class QueryVisibilityTest {

    private static final String EVENTS = "epcisBody.queryResults.resultsBody.eventList";

    private static String capture(RequestSpecification caller, ObjectNode event) {
        return caller.body(text(withContext(event))).post("/epcis/events").then().statusCode(201).extract()
                .jsonPath().getString("eventID");
    }

    /** A request specification gathers query parameters as it is used: each query starts from a copy. */
    private static RequestSpecification fresh(RequestSpecification caller) {
        return io.restassured.RestAssured.given().spec(caller);
    }

    private static List<String> steps(RequestSpecification caller, String epc) {
        return fresh(caller).queryParam("MATCH_epc", epc).get("/epcis/events").then().statusCode(200).extract().jsonPath()
                .getList(EVENTS + ".bizStep", String.class);
    }

    @Test
    void pagesAndCountsRunOverVisibleEventsOnly() {
        Epcis.Site mine = site("warehouse");
        Epcis.Site theirs = site("warehouse");
        RequestSpecification partner = Api.partner("visibility-pages", mine.id());
        String gtin = gtin14();
        String seen = sgtinUrn(gtin, serial());
        String hidden = sgtinUrn(gtin, serial());
        // Hidden events between the visible ones: a page cut by position must step over them unseen.
        for (int i = 0; i < 3; i++) {
            String hour = "2026-11-23T1" + i + ":0";
            capture(asAdmin(), time(at(objectEvent("storing", hidden), theirs.gln()), hour + "0:00.000+01:00"));
            capture(asAdmin(), time(at(objectEvent("storing", seen), mine.gln()), hour + "1:00.000+01:00"));
            capture(asAdmin(), time(at(objectEvent("storing", hidden), theirs.gln()), hour + "2:00.000+01:00"));
        }
        String bothItems = "https://id.gs1.org/01/" + gtin;

        Response first = fresh(partner).queryParam("MATCH_epc", bothItems).queryParam("perPage", 2).get("/epcis/events");
        first.then().statusCode(200).body(EVENTS + ".size()", equalTo(2));
        String next = first.header("Link");
        assertNotNull(next, "a second page of the visible events");
        String token = next.replaceAll(".*nextPageToken=([^&>]+).*", "$1");
        fresh(partner).queryParam("perPage", 2).queryParam("nextPageToken", token).urlEncodingEnabled(false)
                .get("/epcis/events").then().statusCode(200)
                .body(EVENTS + ".size()", equalTo(1))
                .header("Link", nullValue());
        // maxEventCount counts what the caller may see: 3 for the partner, 9 for the admin.
        fresh(partner).queryParam("MATCH_epc", bothItems).queryParam("maxEventCount", 3).get("/epcis/events").then()
                .statusCode(200).body(EVENTS + ".size()", equalTo(3));
        asAdmin().queryParam("MATCH_epc", bothItems).queryParam("maxEventCount", 3).get("/epcis/events").then()
                .statusCode(413);
    }

    @Test
    void aHiddenEventAnswersAsAnUnknownOne() {
        Epcis.Site mine = site("warehouse");
        Epcis.Site theirs = site("warehouse");
        RequestSpecification partner = Api.partner("visibility-single", mine.id());
        String epc = sgtinUrn(gtin14(), serial());
        String hidden = capture(asAdmin(), time(at(objectEvent("storing", epc), theirs.gln()),
                "2026-11-23T08:00:00.000+01:00"));
        String visible = capture(asAdmin(), at(objectEvent("storing", epc), mine.gln()));

        String unknown = EpcisResource.pathSegment("urn:uuid:00000000-0000-4000-8000-000000000000");
        hidden = EpcisResource.pathSegment(hidden);
        visible = EpcisResource.pathSegment(visible);
        partner = partner.urlEncodingEnabled(false);
        String unknownAnswer = partner.get("/epcis/events/" + unknown).then().statusCode(404).extract().path("type");
        partner.get("/epcis/events/" + hidden).then().statusCode(404).body("type", equalTo(unknownAnswer));
        partner.get("/epcis/ledger/events/" + hidden).then().statusCode(404);
        partner.get("/epcis/events/" + visible).then().statusCode(200);
        partner.get("/epcis/ledger/events/" + visible).then().statusCode(200);
        partner.get("/epcis/epcs/" + epc + "/events").then().statusCode(200)
                .body(EVENTS + ".size()", equalTo(1));
    }

    @Test
    void aPartnerSeesAnItemsEventsFromItsReceivingUntilItShipsItOnNotBeforeNorAfter() {
        Epcis.Site factory = site("factory");
        Epcis.Site warehouse = site("warehouse");
        Epcis.Site lab = site("warehouse");
        Epcis.Site shop = site("retailer");
        RequestSpecification partner = Api.partner("visibility-custody", warehouse.id());
        String epc = sgtinUrn(gtin14(), serial());

        capture(asAdmin(), time(at(objectEvent("commissioning", epc), factory.gln()), "2026-11-01T08:00:00.000+01:00"));
        capture(asAdmin(), time(at(objectEvent("shipping", epc), factory.gln()), "2026-11-02T08:00:00.000+01:00"));
        capture(partner, time(at(objectEvent("receiving", epc), warehouse.gln()), "2026-11-03T08:00:00.000+01:00"));
        capture(asAdmin(), time(at(objectEvent("inspecting", epc), lab.gln()), "2026-11-04T08:00:00.000+01:00"));
        capture(partner, time(at(objectEvent("shipping", epc), warehouse.gln()), "2026-11-05T08:00:00.000+01:00"));
        capture(asAdmin(), time(at(objectEvent("receiving", epc), shop.gln()), "2026-11-06T08:00:00.000+01:00"));
        capture(asAdmin(), time(at(objectEvent("retail_selling", epc), shop.gln()), "2026-11-07T08:00:00.000+01:00"));

        assertEquals(List.of("commissioning", "shipping", "receiving", "inspecting", "shipping", "receiving",
                "retail_selling"), steps(asAdmin(), epc));
        assertEquals(List.of("receiving", "inspecting", "shipping"), steps(partner, epc));
        // A partner of another warehouse sees nothing of the item.
        assertEquals(List.of(), steps(Api.partner("visibility-custody-other", site("warehouse").id()), epc));
    }

    @Test
    void aStationReadsWhatHappensAtItsFactory() {
        Epcis.Site factory = site("factory");
        String key = Api.stationKey(Api.line(factory.id()));
        String epc = sgtinUrn(gtin14(), serial());
        capture(asAdmin(), time(at(objectEvent("inspecting", epc), factory.gln()), "2026-11-01T08:00:00.000+01:00"));
        // Elsewhere before it reached the factory: neither the factory's nor in the line's custody.
        capture(asAdmin(), time(at(objectEvent("inspecting", epc), site("factory").gln()), "2026-11-01T07:00:00.000+01:00"));

        assertEquals(List.of("inspecting"), steps(asStation(key), epc));
    }
}
