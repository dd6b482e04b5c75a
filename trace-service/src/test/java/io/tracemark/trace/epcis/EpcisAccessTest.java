package io.tracemark.trace.epcis;

import static io.tracemark.trace.Api.anonymous;
import static io.tracemark.trace.Api.as;
import static io.tracemark.trace.Api.asAdmin;
import static io.tracemark.trace.Api.asStation;
import static io.tracemark.trace.epcis.Epcis.at;
import static io.tracemark.trace.epcis.Epcis.codes;
import static io.tracemark.trace.epcis.Epcis.document;
import static io.tracemark.trace.epcis.Epcis.gtin14;
import static io.tracemark.trace.epcis.Epcis.ledgerCount;
import static io.tracemark.trace.epcis.Epcis.objectEvent;
import static io.tracemark.trace.epcis.Epcis.serial;
import static io.tracemark.trace.epcis.Epcis.sgtinUrn;
import static io.tracemark.trace.epcis.Epcis.site;
import static io.tracemark.trace.epcis.Epcis.text;
import static io.tracemark.trace.epcis.Epcis.time;
import static io.tracemark.trace.epcis.Epcis.withContext;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.tracemark.trace.Api;

/**
 * Who may capture and who may query. Admins, operators and regulators read the whole ledger;
 * partners and stations capture at their own sites and read what happens there (CaptureScopeTest
 * and QueryVisibilityTest hold the rules in detail).
 */
@QuarkusTest
class EpcisAccessTest {

    private static final String EVENTS = "epcisBody.queryResults.resultsBody.eventList";

    private static RequestSpecification user(String name, String role) {
        return as(name, Api.user(name, role));
    }

    private static List<String> steps(RequestSpecification caller, String epcs) {
        return caller.queryParam("MATCH_epc", epcs).get("/epcis/events").then().statusCode(200).extract().jsonPath()
                .getList(EVENTS + ".bizStep", String.class);
    }

    @Test
    void anonymousCallersAreAskedForCredentials() {
        Epcis.LedgerCount before = ledgerCount();
        anonymous().body(text(document(objectEvent("shipping", sgtinUrn(gtin14(), serial()))))).post("/epcis/capture")
                .then().statusCode(401)
                .header("WWW-Authenticate", containsString("Basic"))
                .body("type", equalTo("urn:tracemark:problem:unauthenticated"));
        anonymous().body(text(withContext(objectEvent("shipping", sgtinUrn(gtin14(), serial()))))).post("/epcis/events")
                .then().statusCode(401);
        anonymous().get("/epcis/events").then().statusCode(401);
        anonymous().get("/epcis/eventTypes").then().statusCode(401);
        anonymous().options("/epcis/capture").then().statusCode(401);
        assertEquals(before, ledgerCount());
    }

    @Test
    void regulatorsReadEverythingAndCaptureNothing() {
        String epc = sgtinUrn(gtin14(), serial());
        asAdmin().body(text(document(objectEvent("commissioning", epc)))).post("/epcis/capture").then().statusCode(202);
        RequestSpecification regulator = user("epcis-regulator", "regulator");
        Epcis.LedgerCount before = ledgerCount();

        user("epcis-regulator", "regulator").body(text(document(objectEvent("shipping", epc)))).post("/epcis/capture")
                .then().statusCode(403).body("type", equalTo("urn:tracemark:problem:forbidden"));
        user("epcis-regulator", "regulator").body(text(withContext(objectEvent("shipping", epc)))).post("/epcis/events")
                .then().statusCode(403);
        assertEquals(before, ledgerCount());
        assertEquals(List.of("commissioning"), steps(regulator, epc));
    }

    @Test
    void operatorsCaptureAtTheBrandOwnersSitesAndReadEverything() {
        String epc = sgtinUrn(gtin14(), serial());
        Epcis.Site factory = site("factory");
        user("epcis-operator", "operator").body(text(document(at(objectEvent("commissioning", epc), factory.gln()))))
                .post("/epcis/capture").then().statusCode(202);
        asAdmin().body(text(document(objectEvent("inspecting", epc)))).post("/epcis/capture").then().statusCode(202);
        assertEquals(List.of("commissioning", "inspecting"), steps(user("epcis-operator", "operator"), epc));
    }

    @Test
    void partnersReadTheEventsOfTheirOwnSitesNotOthers() {
        String epc = sgtinUrn(gtin14(), serial());
        Epcis.Site siteA = site("warehouse");
        Epcis.Site siteB = site("distributor");
        RequestSpecification partnerA = Api.partner("epcis-partner-a", siteA.id());
        RequestSpecification partnerB = Api.partner("epcis-partner-b", siteB.id());
        String adminEvent = asAdmin().body(text(withContext(time(objectEvent("commissioning", epc),
                "2026-11-23T08:00:00.000+01:00")))).post("/epcis/events").then().statusCode(201).extract().jsonPath()
                .getString("eventID");
        Response theirs = partnerB.body(text(document(time(at(objectEvent("shipping", epc), siteB.gln()),
                "2026-11-23T09:00:00.000+01:00")))).post("/epcis/capture");
        theirs.then().statusCode(202);
        Response mine = partnerA.body(text(document(time(at(objectEvent("receiving", epc), siteA.gln()),
                "2026-11-23T10:00:00.000+01:00")))).post("/epcis/capture");
        mine.then().statusCode(202);

        assertEquals(List.of("receiving"), steps(Api.partner("epcis-partner-a", siteA.id()), epc));
        assertEquals(List.of("shipping"), steps(Api.partner("epcis-partner-b", siteB.id()), epc));
        assertEquals(List.of("commissioning", "shipping", "receiving"), steps(asAdmin(), epc));

        user("epcis-partner-a", "partner").get("/epcis/events/" + EpcisResource.pathSegment(adminEvent)).then()
                .statusCode(404);
        user("epcis-partner-a", "partner").get(mine.header("Location")).then().statusCode(200);
        user("epcis-partner-a", "partner").get(theirs.header("Location")).then().statusCode(404);
        user("epcis-partner-a", "partner").get("/epcis/epcs/" + epc + "/events").then().statusCode(200)
                .body(EVENTS + ".bizStep", equalTo(List.of("receiving")));
    }

    @Test
    void stationsCaptureForTheirLineAtTheirFactoryAndReadWhatHappensThere() {
        Epcis.Site factory = site("factory");
        long line = Api.line(factory.id());
        String key = Api.stationKey(line);
        String secondKey = Api.stationKey(line);
        Epcis.Site otherFactory = site("factory");
        long otherLine = Api.line(otherFactory.id());
        String otherLineKey = Api.stationKey(otherLine);
        String code = codes(Api.batch(Api.product(), line), 1).get(0);
        String otherCode = codes(Api.batch(Api.product(), otherLine), 1).get(0);

        asStation(key).body(text(document(at(objectEvent("commissioning", code), factory.gln()))))
                .post("/epcis/capture").then().statusCode(202);
        asStation(otherLineKey).body(text(withContext(at(objectEvent("inspecting", otherCode), otherFactory.gln()))))
                .post("/epcis/events").then().statusCode(201);

        // Every key of a line acts for the same line; each line reads what happens at its own factory.
        assertEquals(List.of("commissioning"), steps(asStation(secondKey), code));
        assertEquals(List.of(), steps(asStation(otherLineKey), code));
        assertEquals(List.of("inspecting"), steps(asStation(otherLineKey), otherCode));
        assertEquals(List.of("commissioning"), steps(asAdmin(), code));
    }
}
