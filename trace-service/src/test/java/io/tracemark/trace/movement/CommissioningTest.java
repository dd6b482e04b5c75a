package io.tracemark.trace.movement;

import static io.tracemark.trace.Api.asAdmin;
import static io.tracemark.trace.movement.Production.eventsSince;
import static io.tracemark.trace.movement.Production.now;
import static io.tracemark.trace.movement.Production.stateOf;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tracemark.marker.MarkOrder;
import io.tracemark.marker.verify.Grade;

/**
 * Production enters the ledger: verified marks become commissioning events at the factory, with
 * lot and expiry, and the codes become COMMISSIONED in the same transaction.
 */
@QuarkusTest
class CommissioningTest {

    @Inject
    Production production;
    @Inject
    Commissioner commissioner;
    @Inject
    EntityManager em;

    private static JsonPath eventsOf(String code) {
        String epc = "https://id.gs1.org/01/" + code.substring(code.indexOf("/01/") + 4);
        return asAdmin().get("/epcis/epcs/" + epc + "/events").then().statusCode(200).extract().jsonPath()
                .setRootPath("epcisBody.queryResults.resultsBody");
    }

    private static String serialOf(String code) {
        return code.substring(code.lastIndexOf('/') + 1);
    }

    @Test
    void verifiedMarksBecomeOneCommissioningEventPerBatchAtTheFactoryWithLotAndExpiry() {
        Production.Lot lot = production.sent(3);
        lot.orders().forEach(order -> {
            lot.port().marked(order.id());
            lot.port().verified(order.id(), Grade.B);
        });
        OffsetDateTime before = now();

        commissioner.pass();

        assertEquals(1, eventsSince(before), "one event for the three items of the batch");
        JsonPath events = eventsOf(lot.codes().get(0));
        assertEquals(1, events.getList("eventList").size());
        assertEquals("ObjectEvent", events.getString("eventList[0].type"));
        assertEquals("ADD", events.getString("eventList[0].action"));
        assertEquals("commissioning", events.getString("eventList[0].bizStep"));
        assertEquals("active", events.getString("eventList[0].disposition"));
        assertEquals(3, events.getList("eventList[0].epcList").size());
        assertEquals("https://id.gs1.org/414/" + lot.gln(), events.getString("eventList[0].readPoint.id"));
        assertEquals("https://id.gs1.org/414/" + lot.gln(), events.getString("eventList[0].bizLocation.id"));
        assertEquals(lot.lot(), events.getString("eventList[0].ilmd.'cbvmda:lotNumber'"));
        assertEquals("2028-11-20", events.getString("eventList[0].ilmd.'cbvmda:itemExpirationDate'"));
        lot.orders().forEach(order -> assertEquals("COMMISSIONED", stateOf(order.id())));
    }

    @Test
    void aCommissionedCodeIsNeverCommissionedTwice() {
        Production.Lot lot = production.commissioned(2);
        OffsetDateTime before = now();

        commissioner.pass();

        assertEquals(0, eventsSince(before));
        assertEquals(1, eventsOf(lot.codes().get(1)).getList("eventList").size());
    }

    @Test
    void marksWithoutAVerifierAreCommissionedOnceTheirRunHasEndedAndVoidedCodesAreDecommissioned() {
        Production.Lot lot = production.sent(4);
        List<MarkOrder> orders = lot.orders();
        lot.port().marked(orders.get(0).id());
        lot.port().marked(orders.get(1).id());
        lot.port().marked(orders.get(2).id());
        lot.port().voided(orders.get(2).id(), "the item reached the reject gate before it could be released");
        lot.port().voided(orders.get(3).id(), "mark failed: marker alarm");

        commissioner.pass();
        assertEquals("MARKED", stateOf(orders.get(0).id()), "a running line may still reject a marked item");

        production.end(lot);
        OffsetDateTime before = now();
        commissioner.pass();

        assertEquals(2, eventsSince(before), "one commissioning event, one decommissioning event");
        assertEquals("COMMISSIONED", stateOf(orders.get(0).id()));
        assertEquals("COMMISSIONED", stateOf(orders.get(1).id()));
        assertEquals("VOIDED", stateOf(orders.get(3).id()));
        JsonPath voided = eventsOf(lot.codes().get(3));
        assertEquals(List.of("decommissioning"), voided.getList("eventList.bizStep"));
        assertEquals("DELETE", voided.getString("eventList[0].action"));
        assertEquals("inactive", voided.getString("eventList[0].disposition"));
        assertEquals(2, voided.getList("eventList[0].epcList").size());

        OffsetDateTime after = now();
        commissioner.pass();
        assertEquals(0, eventsSince(after), "an ended run is commissioned once");
    }

    @Test
    void aPassStartsAtTheRunsFirstUnsettledCodeAndTheRunsEndStillFindsEveryVoidedCode() {
        Production.Lot lot = production.sent(4);
        List<MarkOrder> orders = lot.orders();
        lot.port().voided(orders.get(0).id(), "mark failed: marker alarm");
        for (MarkOrder order : orders.subList(1, 3)) {
            lot.port().marked(order.id());
            lot.port().verified(order.id(), Grade.A);
        }

        commissioner.pass();

        assertEquals(counterOf(orders.get(3).id()), commissionCursorOf(orders.get(3).id()),
                "the next pass starts at the first code still in flight");
        lot.port().marked(orders.get(3).id());
        production.end(lot);
        commissioner.pass();
        assertEquals("COMMISSIONED", stateOf(orders.get(3).id()));
        JsonPath voided = eventsOf(lot.codes().get(0));
        assertEquals(List.of("decommissioning"), voided.getList("eventList.bizStep"),
                "a code voided below the cursor is still decommissioned at the run's end");
    }

    @Test
    void aMarkReportedAfterItsRunEndedIsStillCommissionedAndTheRunsVoidsAreDecommissionedOnce() {
        Production.Lot lot = production.sent(3);
        List<MarkOrder> orders = lot.orders();
        lot.port().marked(orders.get(0).id());
        production.end(lot);
        commissioner.pass();
        assertEquals("COMMISSIONED", stateOf(orders.get(0).id()));

        // The station's journal reaches the service after the run was set FINISHED.
        lot.port().marked(orders.get(1).id());
        lot.port().voided(orders.get(2).id(), "mark failed: marker alarm");
        OffsetDateTime before = now();
        commissioner.pass();

        assertEquals("COMMISSIONED", stateOf(orders.get(1).id()), "a late mark is commissioned when it arrives");
        assertEquals(2, eventsSince(before), "one commissioning event, one decommissioning event");
        assertEquals(List.of("decommissioning"), eventsOf(lot.codes().get(2)).getList("eventList.bizStep"));
        OffsetDateTime after = now();
        commissioner.pass();
        assertEquals(0, eventsSince(after), "once every code is settled the run is done");
    }

    private long counterOf(String serial) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select counter from code where serial = ?1").setParameter(1, serial).getSingleResult()).longValue());
    }

    private long commissionCursorOf(String serial) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select r.commission_cursor from marking_run r join code c on c.run_id = r.id where c.serial = ?1")
                .setParameter(1, serial).getSingleResult()).longValue());
    }

    @Test
    void aVerifiedItemOfARunningLineWaitsUntilItIsPastTheRejectGate() {
        Production.Lot lot = production.sent(2);
        lot.orders().forEach(order -> {
            lot.port().marked(order.id());
            lot.port().verified(order.id(), Grade.A);
        });
        // As if the second item had been verified after the commissioning delay began.
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "update code set state_changed_at = ?1 where serial = ?2")
                .setParameter(1, OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(1))
                .setParameter(2, lot.orders().get(1).id()).executeUpdate());

        commissioner.pass();

        assertEquals("COMMISSIONED", stateOf(lot.orders().get(0).id()));
        assertEquals("VERIFIED", stateOf(lot.orders().get(1).id()));
        production.end(lot);
        commissioner.pass();
        assertEquals("COMMISSIONED", stateOf(lot.orders().get(1).id()), "an ended run has no item left at its gate");
    }

    @Test
    void theCommissioningEventNamesTheItemsAsPrintedOnThem() {
        Production.Lot lot = production.commissioned(1);
        String serial = serialOf(lot.codes().get(0));
        asAdmin().get("/api/codes/" + serial).then().statusCode(200).body("state", equalTo("COMMISSIONED"));
        assertEquals("https://id.gs1.org/01/" + lot.gtin() + "/21/" + serial,
                eventsOf(lot.codes().get(0)).getString("eventList[0].epcList[0]"));
    }
}
