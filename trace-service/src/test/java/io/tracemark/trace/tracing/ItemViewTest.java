package io.tracemark.trace.tracing;

import static io.tracemark.trace.Api.asAdmin;
import static io.tracemark.trace.tracing.Story.capture;
import static io.tracemark.trace.tracing.Story.commissioning;
import static io.tracemark.trace.tracing.Story.packing;
import static io.tracemark.trace.tracing.Story.receiving;
import static io.tracemark.trace.tracing.Story.shipping;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tracemark.trace.epcis.ViewCheck;

/**
 * The item view as users meet it: consumers and regulators read what the full trace says, however
 * the events arrived, and shipping a pallet does not touch the rows of the items on it.
 */
@QuarkusTest
class ItemViewTest {

    @Inject
    AgroalDataSource dataSource;

    private static final String CONSUMER = "application/json";

    private record Goods(Story.Batch batch, Story.Site shop, String caseEpc, String pallet) {
        /** The consumer's path of the i-th item's code. */
        String path(int i) {
            return "/01/" + batch.gtin() + "/21/" + batch.serials().get(i);
        }

        String epc(int i) {
            return "https://id.gs1.org/01/" + batch.gtin() + "/21/" + batch.serials().get(i);
        }
    }

    /** Three commissioned items packed into a case, the case onto a pallet, at the factory. */
    private static Goods packed() {
        Story.Batch batch = Story.batch(3);
        Story.Site shop = Story.site("Tienda Madrid", "retailer", "Madrid", "ES", 40.42, -3.70);
        String pallet = Story.sscc();
        String caseEpc = Story.sscc();
        Goods goods = new Goods(batch, shop, caseEpc, pallet);
        capture(commissioning("2026-11-20T08:00:00+01:00", batch.factory(), goods.epc(0), goods.epc(1), goods.epc(2)),
                packing("2026-11-20T09:00:00+01:00", batch.factory(), caseEpc, goods.epc(0), goods.epc(1), goods.epc(2)),
                packing("2026-11-20T09:30:00+01:00", batch.factory(), pallet, caseEpc));
        return goods;
    }

    @Test
    void shippingAPalletWritesThePalletsRowOnlyAndItsItemsTellTheMove() throws SQLException {
        Goods goods = packed();
        List<String> before = rows(goods.epc(0), goods.epc(1), goods.epc(2), goods.caseEpc());

        capture(shipping("2026-11-21T07:00:00+01:00", goods.batch().factory(), goods.shop(), goods.pallet()),
                receiving("2026-11-22T10:00:00+01:00", goods.batch().factory(), goods.shop(), goods.pallet()));

        assertEquals(before, rows(goods.epc(0), goods.epc(1), goods.epc(2), goods.caseEpc()),
                "the items' and the case's rows are untouched by the pallet's moves");
        JsonPath consumer = asAdmin().accept(CONSUMER).get(goods.path(0))
                .then().statusCode(200).extract().jsonPath();
        assertEquals("genuine", consumer.getString("verdict"));
        assertEquals(List.of("commissioning", "packing", "shipping", "receiving"), consumer.getList("journey.bizStep"));
        assertEquals("Tienda Madrid", consumer.getString("journey[2].destination.name"));
        asAdmin().get("/api/trace/" + goods.batch().serials().get(0)).then().statusCode(200)
                .body("current.bizStep", equalTo("receiving"))
                .body("current.custodian.name", equalTo("Tienda Madrid"))
                .body("current.location.name", equalTo("Tienda Madrid"));
        assertViewIsTheLedger(goods);
    }

    @Test
    void aLateEventLeavesTheViewAsIfItHadComeInOrder() {
        Goods goods = packed();
        capture(shipping("2026-11-21T07:00:00+01:00", goods.batch().factory(), goods.shop(), goods.pallet()));
        // A reading taken before the shipment reaches the ledger after it.
        ObjectNode late = Story.event("ObjectEvent", "2026-11-20T12:00:00+01:00", "OBSERVE", "inspecting", "active",
                goods.batch().factory());
        late.putArray("epcList").add(goods.epc(0));
        capture(late);

        JsonPath consumer = asAdmin().accept(CONSUMER).get(goods.path(0))
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("commissioning", "packing", "inspecting", "shipping"), consumer.getList("journey.bizStep"));
        asAdmin().get("/api/trace/" + goods.batch().serials().get(0)).then().statusCode(200)
                .body("current.bizStep", equalTo("shipping")).body("current.disposition", equalTo("in_transit"));
        assertViewIsTheLedger(goods);
    }

    @Test
    void anErrorDeclarationRetractsTheEventItRepeats() {
        Goods goods = packed();
        ObjectNode shipped = shipping("2026-11-21T07:00:00+01:00", goods.batch().factory(), goods.shop(), goods.pallet());
        capture(shipped.deepCopy());
        asAdmin().get("/api/trace/" + goods.batch().serials().get(0)).then().statusCode(200)
                .body("current.bizStep", equalTo("shipping"));

        ObjectNode declaration = shipped.deepCopy();
        // The same event, said to be wrong: the content (and so the event hash) is the one it retracts.
        declaration.put("eventID", "urn:uuid:" + java.util.UUID.randomUUID());
        declaration.putObject("errorDeclaration").put("declarationTime", "2026-11-21T09:00:00+01:00")
                .put("reason", "incorrect_data");
        capture(declaration);

        JsonPath consumer = asAdmin().accept(CONSUMER).get(goods.path(0))
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("commissioning", "packing"), consumer.getList("journey.bizStep"));
        asAdmin().get("/api/trace/" + goods.batch().serials().get(0)).then().statusCode(200)
                .body("current.bizStep", equalTo("packing")).body("journey.bizStep", equalTo(List.of("commissioning",
                        "packing", "packing")));
        assertViewIsTheLedger(goods);
    }

    @Test
    void aRebuildRestoresAViewThatWasLostAndTellsItsProgress() throws Exception {
        Goods goods = packed();
        capture(shipping("2026-11-21T07:00:00+01:00", goods.batch().factory(), goods.shop(), goods.pallet()));
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement("delete from item_view where epc = ?")) {
            // As after restoring a ledger backup without the view: the row is gone behind the service's back.
            delete.setString(1, goods.epc(1));
            delete.executeUpdate();
        }
        assertNotEquals(0, check.compare(List.of(goods.epc(1)), List.of()).mismatched(), "the check sees the lost row");

        asAdmin().post("/api/item-view/rebuild?restart=true").then().statusCode(202).body("state", equalTo("running"));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        JsonPath progress;
        do {
            Thread.sleep(100);
            progress = asAdmin().get("/api/item-view/rebuild").then().statusCode(200).extract().jsonPath();
        } while (!"done".equals(progress.getString("state")) && Instant.now().isBefore(deadline));
        assertEquals("done", progress.getString("state"), progress.prettify());
        assertEquals(progress.getLong("total"), progress.getLong("done"));

        asAdmin().accept(CONSUMER).get("/01/" + goods.batch().gtin() + "/21/" + goods.batch().serials().get(1))
                .then().statusCode(200).body("journey.bizStep", equalTo(List.of("commissioning", "packing", "shipping")));
        assertViewIsTheLedger(goods);
    }

    @Test
    void aCheckAskedWrongIsRefusedNamingTheParameter() {
        packed();
        asAdmin().get("/epcis/ledger/verify?views=some").then().statusCode(400)
                .body("violations[0].field", equalTo("views"));
        asAdmin().get("/epcis/ledger/verify?views=sample&sample=0").then().statusCode(400)
                .body("violations[0].field", equalTo("sample"));
        // Other tests' goods are in the same ledger: the answer's shape is this test's business, their rows theirs.
        asAdmin().get("/epcis/ledger/verify?views=sample&sample=5").then().statusCode(200)
                .body("views.compared", equalTo(5))
                .body("views.mismatched", org.hamcrest.Matchers.greaterThanOrEqualTo(0));
    }

    @Inject
    ItemViewCheck check;

    /** The view of every EPC of the goods tells what their full traces tell. */
    private void assertViewIsTheLedger(Goods goods) {
        ViewCheck.Comparison comparison = check.compare(List.of(goods.epc(0), goods.epc(1), goods.epc(2),
                goods.caseEpc(), goods.pallet()), List.of("https://id.gs1.org/01/" + goods.batch().gtin() + "/10/"
                        + goods.batch().lot()));
        assertEquals(0, comparison.mismatched(), comparison.first().toString());
        assertEquals(6, comparison.compared());
    }

    /** The view's rows as stored, read behind the service's back. */
    private List<String> rows(String... epcs) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "select epc, last_row, biz_step, steps from item_view where epc = ?")) {
            for (String epc : epcs) {
                select.setString(1, epc);
                try (ResultSet row = select.executeQuery()) {
                    rows.add(row.next() ? row.getString(1) + " " + row.getLong(2) + " " + row.getString(3) + " "
                            + row.getString(4) : epc + " none");
                }
            }
        }
        return rows;
    }
}
