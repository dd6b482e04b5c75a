package io.tracemark.trace.tracing;

import static io.tracemark.trace.Api.anonymous;
import static io.tracemark.trace.Api.as;
import static io.tracemark.trace.Api.asAdmin;
import static io.tracemark.trace.tracing.Story.capture;
import static io.tracemark.trace.tracing.Story.commissioning;
import static io.tracemark.trace.tracing.Story.packing;
import static io.tracemark.trace.tracing.Story.receiving;
import static io.tracemark.trace.tracing.Story.selling;
import static io.tracemark.trace.tracing.Story.shipping;
import static io.tracemark.trace.tracing.Story.unpacking;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.tracemark.trace.Api;

/**
 * GET /api/trace/{code}: where an item comes from, the road it travelled — including what
 * happened to the cases and pallets it was packed in while it was inside them — where it is now
 * and where it was sold.
 */
@QuarkusTest
class TraceTest {

    /**
     * Two bottles are made in Sevilla, packed into a case, the case onto a pallet; the pallet goes
     * to a warehouse in Madrid, where the case is taken off the pallet and sent on to a shop in
     * Barcelona. The shop unpacks the case and sells the first bottle. The pallet then goes on to
     * Valencia without the case, and the empty case is shipped back: neither reaches the bottle.
     */
    record Shipped(Story.Batch batch, String bottle, String otherBottle, String caseSscc, String palletSscc,
            Story.Site warehouse, Story.Site shop) {
    }

    private static Shipped story;

    static synchronized Shipped story() {
        if (story != null) {
            return story;
        }
        Story.Batch batch = Story.batch(3);
        Story.Site factory = batch.factory();
        Story.Site warehouse = Story.site("Almacén Madrid", "warehouse", "Madrid", "ES", 40.42, -3.70);
        Story.Site shop = Story.site("Tienda Barcelona", "retailer", "Barcelona", "ES", 41.39, 2.17);
        Story.Site valencia = Story.site("Almacén Valencia", "warehouse", "Valencia", "ES", 39.47, -0.38);
        String bottle = batch.uris().get(0);
        String other = batch.uris().get(1);
        String box = Story.sscc();
        String pallet = Story.sscc();
        capture(commissioning("2026-11-02T08:00:00.000+01:00", factory, bottle, other),
                packing("2026-11-02T09:00:00.000+01:00", factory, box, bottle, other),
                packing("2026-11-02T10:00:00.000+01:00", factory, pallet, box),
                shipping("2026-11-03T07:00:00.000+01:00", factory, warehouse, pallet));
        RequestSpecification madrid = Api.partner("tracing-madrid", warehouse.id());
        RequestSpecification barcelona = Api.partner("tracing-barcelona", shop.id());
        capture(madrid, receiving("2026-11-04T07:00:00.000+01:00", factory, warehouse, pallet),
                unpacking("2026-11-04T08:00:00.000+01:00", warehouse, pallet, box),
                shipping("2026-11-04T09:00:00.000+01:00", warehouse, shop, box));
        capture(barcelona, receiving("2026-11-05T07:00:00.000+01:00", warehouse, shop, box),
                unpacking("2026-11-05T08:00:00.000+01:00", shop, box),
                selling("2026-11-06T18:30:00.000+01:00", shop, bottle));
        capture(madrid, shipping("2026-11-07T07:00:00.000+01:00", warehouse, valencia, pallet));
        capture(barcelona, shipping("2026-11-08T07:00:00.000+01:00", shop, warehouse, box));
        story = new Shipped(batch, bottle, other, box, pallet, warehouse, shop);
        return story;
    }

    static String encoded(String code) {
        return URLEncoder.encode(code, StandardCharsets.UTF_8);
    }

    @Test
    void anItemsTraceShowsItsOriginJourneyPlaceAndSale() {
        Shipped story = story();
        JsonPath trace = asAdmin().urlEncodingEnabled(false).get("/api/trace/" + encoded(story.bottle())).then().statusCode(200)
                .body("code.uri", equalTo(story.bottle()))
                .body("code.serial", equalTo(story.batch().serials().get(0)))
                .body("code.epc", equalTo("https://id.gs1.org/01/" + story.batch().gtin() + "/21/"
                        + story.batch().serials().get(0)))
                .body("origin.product.name", equalTo("Olive oil 500 ml"))
                .body("origin.site.name", equalTo("Almazara Sevilla"))
                .body("origin.site.city", equalTo("Sevilla"))
                .body("origin.line.name", equalTo("Bottling line"))
                .body("origin.batch.lot", equalTo(story.batch().lot()))
                .body("origin.batch.productionDate", equalTo("2026-11-20"))
                .body("origin.batch.expiryDate", equalTo("2028-11-20"))
                .body("origin.commissionedAt", equalTo("2026-11-02T07:00:00Z"))
                .body("current.disposition", equalTo("retail_sold"))
                .body("current.location.name", equalTo("Tienda Barcelona"))
                .body("sold.at", equalTo("2026-11-06T17:30:00Z"))
                .body("sold.place.name", equalTo("Tienda Barcelona"))
                .body("sold.place.city", equalTo("Barcelona"))
                .body("recalled", equalTo(false))
                .extract().jsonPath();

        // The item's own events, and those of its case and pallet while it was inside them, in time order.
        assertEquals(List.of("commissioning", "packing", "packing", "shipping", "receiving", "unpacking", "shipping",
                "receiving", "unpacking", "retail_selling"), trace.getList("journey.bizStep"));
        String box = "https://id.gs1.org/00/" + Story.digits(story.caseSscc());
        String pallet = "https://id.gs1.org/00/" + Story.digits(story.palletSscc());
        assertEquals(Arrays.asList(null, null, box, pallet, pallet, box, box, box, box, null),
                trace.getList("journey.via"));
        assertEquals(List.of("Almazara Sevilla", "Almazara Sevilla", "Almazara Sevilla", "Almazara Sevilla",
                "Almacén Madrid", "Almacén Madrid", "Almacén Madrid", "Tienda Barcelona", "Tienda Barcelona",
                "Tienda Barcelona"), trace.getList("journey.readPoint.name"));
        assertEquals("Almacén Madrid", trace.getString("journey[3].destinations[0].place.name"));
        assertEquals("owning_party", trace.getString("journey[3].destinations[0].type"));
    }

    @Test
    void theSecondItemOfTheCaseWasNotSoldAndIsWhereTheCaseWasUnpacked() {
        Shipped story = story();
        asAdmin().urlEncodingEnabled(false).get("/api/trace/" + encoded(story.otherBottle())).then().statusCode(200)
                .body("journey", hasSize(9))
                .body("current.bizStep", equalTo("unpacking"))
                .body("current.location.name", equalTo("Tienda Barcelona"))
                .body("current.custodian.name", equalTo("Tienda Barcelona"))
                .body("sold", nullValue());
    }

    @Test
    void anItemIsFoundByBareSerialByEpcUrnAndByADigitalLinkOnAnyHost() {
        Shipped story = story();
        String serial = story.batch().serials().get(0);
        String gtin = story.batch().gtin();
        String urn = "urn:epc:id:sgtin:" + gtin.substring(1, 7) + "." + gtin.charAt(0) + gtin.substring(7, 13) + "."
                + serial;
        for (String code : List.of(serial, serial.toLowerCase(), urn,
                "https://id.example.com/01/" + gtin + "/10/" + story.batch().lot() + "/21/" + serial,
                "(01)" + gtin + "(21)" + serial)) {
            asAdmin().urlEncodingEnabled(false).get("/api/trace/" + encoded(code)).then().statusCode(200)
                    .body("code.serial", equalTo(serial)).body("journey", hasSize(10));
        }
    }

    @Test
    void codesThisRegistryNeverIssuedAreNotFoundAndMalformedOnesAreRefused() {
        Shipped story = story();
        String serial = story.batch().serials().get(0);
        String forged = serial.substring(0, 17) + (serial.charAt(17) == 'A' ? 'B' : 'A');
        asAdmin().get("/api/trace/" + forged).then().statusCode(404)
                .body("type", equalTo("urn:tracemark:problem:not-found"))
                .body("detail", containsString("not issued by this registry"));
        // A real serial presented with another product's GTIN was not issued either.
        asAdmin().urlEncodingEnabled(false).get("/api/trace/" + encoded("https://id.example.com/01/" + Story.otherGtin() + "/21/" + serial))
                .then().statusCode(404).body("detail", containsString("not issued by this registry"));
        asAdmin().urlEncodingEnabled(false).get("/api/trace/" + encoded("https://id.example.com/01/09506000134353/21/" + serial))
                .then().statusCode(400).body("violations[0].field", equalTo("code"));
        asAdmin().urlEncodingEnabled(false).get("/api/trace/" + encoded("urn:epc:id:sscc:950600.0000000001")).then().statusCode(400)
                .body("violations[0].field", equalTo("code"));
    }

    @Test
    void regulatorsAndOperatorsTraceEveryItemPartnersOnlyThoseTheyReportedOnConsumersNone() {
        Shipped story = story();
        String path = "/api/trace/" + encoded(story.bottle());
        as("tracing-regulator", Api.user("tracing-regulator", "regulator")).urlEncodingEnabled(false).get(path).then().statusCode(200);
        as("tracing-operator", Api.user("tracing-operator", "operator")).urlEncodingEnabled(false).get(path).then().statusCode(200);
        asAdmin().urlEncodingEnabled(false).get(path).then().statusCode(200).body("journey", hasSize(10));
        // The warehouse sees the bottle's story only while it passed through Madrid (in the pallet,
        // then in the case it shipped on); neither the factory's events nor the shop's sale.
        as("tracing-madrid", Api.user("tracing-madrid", "partner")).urlEncodingEnabled(false).get(path).then()
                .statusCode(200)
                .body("journey.bizStep", equalTo(List.of("receiving", "unpacking", "shipping")))
                .body("sold", nullValue());
        // A partner none of whose sites the bottle passed answers as for a code never issued.
        Api.partner("tracing-stranger", Story.site("Almacén Bilbao", "warehouse", "Bilbao", "ES", 43.26, -2.93).id())
                .urlEncodingEnabled(false).get(path).then().statusCode(404)
                .body("type", equalTo("urn:tracemark:problem:not-found"));
        anonymous().urlEncodingEnabled(false).get(path).then().statusCode(401);
    }

    @Test
    void theTraceNamesTheBusinessTransactionsForThoseWhoMayTraceButTheConsumerViewDoesNot() {
        Shipped story = story();
        String trace = asAdmin().urlEncodingEnabled(false).get("/api/trace/" + encoded(story.bottle())).then().statusCode(200).extract().asString();
        assertTrue(trace.contains("PO-4711-SECRET"));
        anonymous().accept("application/json").get(story.bottle().replaceFirst("^https?://[^/]+", ""))
                .then().statusCode(200).body(not(containsString("PO-4711-SECRET")))
                .body(not(containsString("receipt"))).body(not(containsString("tracing-madrid")))
                .body(not(containsString(story.warehouse().gln())));
    }
}
