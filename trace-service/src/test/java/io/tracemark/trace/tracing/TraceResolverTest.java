package io.tracemark.trace.tracing;

import static io.tracemark.trace.Api.anonymous;
import static io.tracemark.trace.tracing.Story.capture;
import static io.tracemark.trace.tracing.Story.commissioning;
import static io.tracemark.trace.tracing.Story.packing;
import static io.tracemark.trace.tracing.Story.receiving;
import static io.tracemark.trace.tracing.Story.recalling;
import static io.tracemark.trace.tracing.Story.selling;
import static io.tracemark.trace.tracing.Story.shipping;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.tracemark.fixtures.Gs1Numbers;
import io.tracemark.fixtures.PostgresDatabase;
import io.tracemark.trace.scan.ScanLog;

/**
 * The GS1 Digital Link path a code's QR code opens, /01/{gtin}/21/{serial}: public, answering a
 * phone that asks for JSON with what a consumer may know of the item and a verdict on the code,
 * and recording the scan without anything about the person scanning.
 */
@QuarkusTest
class TraceResolverTest {

    private static RequestSpecification phone() {
        return anonymous().accept("application/json");
    }

    /** The path of a code's URI, as the phone asks the resolver for it. */
    private static String path(String uri) {
        return uri.replaceFirst("^https?://[^/]+", "");
    }

    @Test
    void aGenuineItemShowsItsProductOriginAndJourneyWithoutPartnersData() {
        Story.Batch batch = Story.batch(1);
        String item = batch.uris().get(0);
        capture(commissioning("2026-11-02T08:00:00.000+01:00", batch.factory(), item));
        phone().get(path(item)).then().statusCode(200)
                .header("Vary", containsString("Accept"))
                .body("verdict", equalTo("genuine"))
                .body("message", containsString("issued by the brand's registry"))
                .body("serial", equalTo(batch.serials().get(0)))
                .body("product.name", equalTo("Olive oil 500 ml"))
                .body("product.brand", equalTo("Tracemark Farms"))
                .body("origin.madeAt.name", equalTo("Almazara Sevilla"))
                .body("origin.madeAt.city", equalTo("Sevilla"))
                .body("origin.madeAt.country", equalTo("ES"))
                .body("origin.lot", equalTo(batch.lot()))
                .body("origin.commissionedAt", equalTo("2026-11-02T07:00:00Z"))
                .body("journey", hasSize(1))
                .body("journey[0].bizStep", equalTo("commissioning"))
                .body("journey[0].place.name", equalTo("Almazara Sevilla"))
                .body("journey[0]", not(org.hamcrest.Matchers.hasKey("eventID")))
                .body("sold", nullValue())
                .body(not(containsString(batch.factory().gln())))
                .body(not(containsString("capturedBy")));
    }

    @Test
    void theLotMayBeInThePathButMustBeTheItemsOwn() {
        Story.Batch batch = Story.batch(1);
        String serial = batch.serials().get(0);
        capture(commissioning("2026-11-02T08:00:00.000+01:00", batch.factory(), batch.uris().get(0)));
        phone().get("/01/" + batch.gtin() + "/10/" + batch.lot() + "/21/" + serial).then().statusCode(200)
                .body("verdict", equalTo("genuine"));
        phone().get("/01/" + batch.gtin() + "/10/OTHERLOT/21/" + serial).then().statusCode(404)
                .body("verdict", equalTo("never_issued"));
    }

    @Test
    void aCodeThisRegistryNeverIssuedIsNotFoundWithItsVerdictAndItsScanIsCounted() {
        Story.Batch batch = Story.batch(1);
        String serial = batch.serials().get(0);
        String forged = serial.substring(0, 17) + (serial.charAt(17) == 'A' ? 'B' : 'A');
        phone().get("/01/" + batch.gtin() + "/21/" + forged).then().statusCode(404)
                .contentType("application/json")
                .body("verdict", equalTo("never_issued"))
                .body("message", containsString("not issued by the brand's registry"))
                .body("serial", equalTo(forged))
                .body("product.gtin", equalTo(batch.gtin()))
                .body("product.name", nullValue())
                .body("origin", nullValue())
                .body("journey", hasSize(0));
        assertEquals(List.of("never_issued"), scans(forged).stream().map(Row::verdict).toList());
        // Nothing vouches for a code never issued: no count of its scans either.
        phone().get("/01/" + batch.gtin() + "/21/" + forged).then().statusCode(404).body("earlierScans", nullValue());
    }

    @Test
    void anIssuedCodeWhoseItemWasNeverCommissionedIsNotGenuine() {
        // A leaked code list: the codes were allocated, none was marked and commissioned.
        Story.Batch batch = Story.batch(2);
        String leaked = batch.serials().get(0);
        phone().get(path(batch.uris().get(0))).then().statusCode(200)
                .body("verdict", equalTo("not_in_circulation"))
                .body("message", containsString("no product carrying it has left the factory"))
                .body("product.name", equalTo("Olive oil 500 ml"))
                .body("origin", nullValue())
                .body("journey", hasSize(0))
                .body(not(containsString("Almazara Sevilla")));
        assertEquals(List.of("not_in_circulation"), scans(leaked).stream().map(Row::verdict).toList());
        // Once its item is commissioned (here by an event captured from the plant's own system), it is genuine.
        capture(commissioning("2026-11-02T08:00:00.000+01:00", batch.factory(), batch.uris().get(0)));
        phone().get(path(batch.uris().get(0))).then().statusCode(200).body("verdict", equalTo("genuine"));
        phone().get(path(batch.uris().get(1))).then().statusCode(200).body("verdict", equalTo("not_in_circulation"))
                .body("earlierScans", nullValue());
    }

    @Test
    void aScanTellsHowOftenTheCodeWasScannedBeforeAndWhenAndWhereFirst() throws SQLException {
        Story.Batch batch = Story.batch(2);
        String item = path(batch.uris().get(0));
        capture(commissioning("2026-11-02T08:00:00.000+01:00", batch.factory(), batch.uris().toArray(String[]::new)));
        phone().header("CF-IPCountry", "fr").get(item).then().statusCode(200)
                .body("earlierScans.count", equalTo(0))
                .body("earlierScans.more", equalTo(false))
                .body("earlierScans.firstOn", nullValue());
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        scans(batch.serials().get(0));
        phone().header("CF-IPCountry", "de").get(item).then().statusCode(200)
                .body("earlierScans.count", equalTo(1))
                .body("earlierScans.firstOn", equalTo(today))
                .body("earlierScans.firstCountry", equalTo("FR"));
        scans(batch.serials().get(0));
        phone().get(item).then().statusCode(200)
                .body("earlierScans.count", equalTo(2))
                .body("earlierScans.firstCountry", equalTo("FR"));

        // A code copied onto many fakes: counted up to 100, its first scan long ago, elsewhere.
        String copied = batch.serials().get(1);
        try (Connection db = PostgresDatabase.connect(); PreparedStatement insert = db.prepareStatement(
                "insert into scan (serial, gtin, scanned_at, country, verdict) values (?, ?, ?, ?, 'genuine')")) {
            for (int i = 0; i < 130; i++) {
                insert.setString(1, copied);
                insert.setString(2, batch.gtin());
                insert.setObject(3, java.time.OffsetDateTime.parse("2026-03-01T10:00:00Z").plusHours(i));
                insert.setString(4, i == 0 ? "BR" : "CN");
                insert.addBatch();
            }
            insert.executeBatch();
        }
        phone().get(path(batch.uris().get(1))).then().statusCode(200)
                .body("verdict", equalTo("genuine"))
                .body("earlierScans.count", equalTo(100))
                .body("earlierScans.more", equalTo(true))
                .body("earlierScans.firstOn", equalTo("2026-03-01"))
                .body("earlierScans.firstCountry", equalTo("BR"));
    }

    @Test
    void theJourneySaysWhereAShipmentWentOnceForEachStepAndOnTheLocalClocks() {
        Story.Batch batch = Story.batch(1);
        Story.Site warehouse = Story.site("Cangku Shanghai", "warehouse", "Shanghai", "CN", 31.23, 121.47);
        String item = batch.uris().get(0);
        String packed = Story.sscc();
        String pallet = Story.sscc();
        var received = receiving("2026-11-20T09:30:00.000+08:00", batch.factory(), warehouse, pallet);
        received.put("eventTimeZoneOffset", "+08:00");
        capture(commissioning("2026-11-02T08:00:00.000+01:00", batch.factory(), item),
                packing("2026-11-02T09:00:00.000+01:00", batch.factory(), packed, item),
                packing("2026-11-02T09:10:00.000+01:00", batch.factory(), pallet, packed),
                shipping("2026-11-03T08:00:00.000+01:00", batch.factory(), warehouse, pallet), received);
        phone().get(path(item)).then().statusCode(200)
                .body("journey.bizStep", equalTo(List.of("commissioning", "packing", "shipping", "receiving")))
                .body("journey[0].time", equalTo("2026-11-02T08:00:00+01:00"))
                .body("journey[1].time", equalTo("2026-11-02T09:00:00+01:00"))
                .body("journey[2].place.name", equalTo("Almazara Sevilla"))
                .body("journey[2].destination.name", equalTo("Cangku Shanghai"))
                .body("journey[2].destination.country", equalTo("CN"))
                .body("journey[3].time", equalTo("2026-11-20T09:30:00+08:00"))
                .body("journey[3].place.name", equalTo("Cangku Shanghai"))
                .body("journey[3].destination", nullValue());
    }

    @Test
    void aVoidedCodeIsFlagged() throws SQLException {
        Story.Batch batch = Story.batch(1);
        String serial = batch.serials().get(0);
        // The marking station voided the code after a failed mark.
        try (Connection db = PostgresDatabase.connect();
                PreparedStatement update = db.prepareStatement("update code set state = 'VOIDED' where serial = ?")) {
            update.setString(1, serial);
            assertEquals(1, update.executeUpdate());
        }
        phone().get(path(batch.uris().get(0))).then().statusCode(200)
                .body("verdict", equalTo("voided"))
                .body("message", containsString("cancelled"));
    }

    @Test
    void aRecalledItemIsFlagged() {
        Story.Batch batch = Story.batch(2);
        capture(commissioning("2026-11-02T08:00:00.000+01:00", batch.factory(), batch.uris().toArray(String[]::new)),
                recalling("2026-11-10T08:00:00.000+01:00", batch.factory(), batch.uris().get(0)));
        phone().get(path(batch.uris().get(0))).then().statusCode(200)
                .body("verdict", equalTo("recalled"))
                .body("recalled", equalTo(true))
                .body("message", containsString("recalled"));
        phone().get(path(batch.uris().get(1))).then().statusCode(200).body("verdict", equalTo("genuine"));
    }

    @Test
    void aWholeLotRecalledByItsClassFlagsEveryItemOfIt() {
        Story.Batch batch = Story.batch(2);
        var recall = Story.event("ObjectEvent", "2026-11-10T08:00:00.000+01:00", "OBSERVE", "holding", "recalled",
                batch.factory());
        recall.putArray("quantityList").addObject()
                .put("epcClass", "https://id.gs1.org/01/" + batch.gtin() + "/10/" + batch.lot());
        capture(commissioning("2026-11-02T08:00:00.000+01:00", batch.factory(), batch.uris().toArray(String[]::new)),
                recall);
        for (String item : batch.uris()) {
            phone().get(path(item)).then().statusCode(200).body("verdict", equalTo("recalled"));
        }
    }

    @Test
    void anItemSoldInBarcelonaAndScannedInBerlinIsFlaggedButNotWhenScannedNearTheShop() {
        Story.Batch batch = Story.batch(1);
        Story.Site shop = Story.site("Tienda Barcelona", "retailer", "Barcelona", "ES", 41.39, 2.17);
        String item = batch.uris().get(0);
        capture(commissioning("2026-11-02T08:00:00.000+01:00", batch.factory(), item),
                selling("2026-11-06T18:30:00.000+01:00", shop, item));
        phone().queryParam("lat", "41.4036").queryParam("lon", "2.1744").get(path(item)).then().statusCode(200)
                .body("verdict", equalTo("genuine"))
                .body("sold.at", equalTo("2026-11-06T18:30:00+01:00"))
                .body("sold.place.name", equalTo("Tienda Barcelona"))
                .body("sold.place.city", equalTo("Barcelona"));
        phone().queryParam("lat", "52.5163").queryParam("lon", "13.3777").get(path(item)).then().statusCode(200)
                .body("verdict", equalTo("sold_scanned_far_away"))
                .body("message", containsString("already sold far from here"));
        // Without a place the service cannot tell.
        phone().get(path(item)).then().statusCode(200).body("verdict", equalTo("genuine"));
    }

    @Test
    void aScanKeepsTimeCoarsePlaceAndVerdictAndNothingAboutThePerson() throws SQLException {
        Story.Batch batch = Story.batch(1);
        String serial = batch.serials().get(0);
        capture(commissioning("2026-11-02T08:00:00.000+01:00", batch.factory(), batch.uris().get(0)));
        phone().header("CF-IPCountry", "de").header("X-Forwarded-For", "203.0.113.7").header("User-Agent", "Pixel 9")
                .queryParam("lat", "52.51634").queryParam("lon", "13.37771")
                .get(path(batch.uris().get(0))).then().statusCode(200);
        List<Row> rows = scans(serial);
        assertEquals(1, rows.size());
        assertEquals(new Row(serial, batch.gtin(), new BigDecimal("52.5"), new BigDecimal("13.4"), "DE", "genuine"),
                rows.get(0));
        Set<String> columns = new TreeSet<>();
        try (Connection db = PostgresDatabase.connect(); Statement sql = db.createStatement();
                ResultSet names = sql.executeQuery("select column_name from information_schema.columns"
                        + " where table_name = 'scan' and table_schema = current_schema()")) {
            while (names.next()) {
                columns.add(names.getString(1));
            }
        }
        assertEquals(new TreeSet<>(List.of("id", "serial", "gtin", "scanned_at", "latitude", "longitude", "country",
                "verdict")), columns);
        try (Connection db = PostgresDatabase.connect(); Statement sql = db.createStatement();
                ResultSet all = sql.executeQuery("select * from scan")) {
            while (all.next()) {
                for (int i = 1; i <= all.getMetaData().getColumnCount(); i++) {
                    String value = all.getString(i);
                    assertEquals(false, value != null && (value.contains("203.0.113") || value.contains("Pixel")));
                }
            }
        }
    }

    @Test
    void badPathsAreRefusedNamingThePart() {
        Story.Batch batch = Story.batch(1);
        String serial = batch.serials().get(0);
        phone().get("/01/" + Gs1Numbers.breakCheckDigit(batch.gtin()) + "/21/" + serial).then().statusCode(400)
                .body("violations[0].field", equalTo("gtin"))
                .body("detail", containsString("check digit"));
        phone().get("/01/12345/21/" + serial).then().statusCode(400).body("violations[0].field", equalTo("gtin"));
        phone().get("/01/" + batch.gtin() + "/21/" + "X".repeat(21)).then().statusCode(400)
                .body("violations[0].field", equalTo("serial"));
        phone().get("/01/" + batch.gtin() + "/10/" + "L".repeat(21) + "/21/" + serial).then().statusCode(400)
                .body("violations[0].field", equalTo("lot"));
        phone().queryParam("lat", "north").queryParam("lon", "2.17").get("/01/" + batch.gtin() + "/21/" + serial)
                .then().statusCode(400).body("violations[0].field", equalTo("lat"));
        phone().queryParam("lat", "41.4").get("/01/" + batch.gtin() + "/21/" + serial)
                .then().statusCode(400).body("violations[0].field", equalTo("lon"));
        assertEquals(List.of(), scans(serial));
    }

    @Test
    void aClientAcceptingNothingTheResolverOffersIsRefusedAndNoScanIsRecorded() {
        Story.Batch batch = Story.batch(1);
        String serial = batch.serials().get(0);
        anonymous().accept("image/png").get("/01/" + batch.gtin() + "/21/" + serial).then().statusCode(406)
                .body("type", equalTo("urn:tracemark:problem:not-acceptable"));
        assertEquals(List.of(), scans(serial));
    }

    record Row(String serial, String gtin, BigDecimal latitude, BigDecimal longitude, String country, String verdict) {
    }

    /** The code's scans as stored, once the scan log has written those it held. */
    static List<Row> scans(String serial) {
        Arc.container().instance(ScanLog.class).get().flush();
        List<Row> rows = new ArrayList<>();
        try (Connection db = PostgresDatabase.connect();
                PreparedStatement select = db.prepareStatement("select serial, gtin, latitude, longitude, country,"
                        + " verdict from scan where serial = ? order by scanned_at")) {
            select.setString(1, serial);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    rows.add(new Row(row.getString(1), row.getString(2), row.getBigDecimal(3), row.getBigDecimal(4),
                            row.getString(5), row.getString(6)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }
}
