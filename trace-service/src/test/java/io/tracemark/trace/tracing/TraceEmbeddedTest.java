package io.tracemark.trace.tracing;

import static io.tracemark.trace.Api.anonymous;
import static io.tracemark.trace.Api.asAdmin;
import static io.tracemark.trace.tracing.Story.capture;
import static io.tracemark.trace.tracing.Story.commissioning;
import static io.tracemark.trace.tracing.Story.packing;
import static io.tracemark.trace.tracing.Story.selling;
import static io.tracemark.trace.tracing.Story.shipping;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tracemark.trace.Api;
import io.tracemark.trace.scan.ScanLog;
import io.tracemark.trace.scan.ScanRecord;
import io.tracemark.trace.storage.EmbeddedDatabase;

/** Tracing and scans work the same on the embedded H2 database, the zero-install default. */
@QuarkusTest
@TestProfile(EmbeddedDatabase.ZeroInstall.class)
class TraceEmbeddedTest {

    @Inject
    ScanLog scanLog;

    @Inject
    MeterRegistry meters;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aBottleSoldInBarcelonaIsTracedThroughItsCaseAndFlaggedWhenScannedFarAway() {
        Story.Batch batch = Story.batch(2);
        Story.Site shop = Story.site("Tienda Barcelona", "retailer", "Barcelona", "ES", 41.39, 2.17);
        String bottle = batch.uris().get(0);
        String box = Story.sscc();
        capture(commissioning("2026-11-02T08:00:00.000+01:00", batch.factory(), bottle),
                packing("2026-11-02T09:00:00.000+01:00", batch.factory(), box, bottle),
                shipping("2026-11-03T07:00:00.000+01:00", batch.factory(), shop, box),
                selling("2026-11-06T18:30:00.000+01:00", shop, bottle));

        List<String> via = asAdmin().get("/api/trace/" + batch.serials().get(0)).then().statusCode(200)
                .body("sold.place.name", equalTo("Tienda Barcelona"))
                .body("origin.commissionedAt", equalTo("2026-11-02T07:00:00Z"))
                .extract().jsonPath().getList("journey.via");
        assertEquals(java.util.Arrays.asList(null, null, "https://id.gs1.org/00/" + Story.digits(box), null), via);

        anonymous().accept("application/json").queryParam("lat", "52.52").queryParam("lon", "13.40")
                .get("/01/" + batch.gtin() + "/21/" + batch.serials().get(0)).then().statusCode(200)
                .body("verdict", equalTo("sold_scanned_far_away"));
        asAdmin().accept("text/csv").get("/api/trace/batches/" + batch.id() + "/items").then().statusCode(200)
                .body(containsString(batch.serials().get(0) + "," + bottle + ",ALLOCATED,2026-11-06T17:30:00Z,"));
        asAdmin().get("/api/trace/containers/" + Story.digits(box)).then().statusCode(200)
                .body("batches[0].items", equalTo(1));
    }

    @Test
    void scansAreWrittenInGroupsWithIdsFromTheDatabase() throws SQLException {
        String gtin = "0" + Api.NUMBERS.gtin13();
        scanLog.flush();
        double groupsBefore = meters.get("tracemark.scan.log.groups").counter().count();
        for (int i = 0; i < 50; i++) {
            scanLog.record(new ScanRecord("H2GROUP" + i, gtin, OffsetDateTime.now(ZoneOffset.UTC), null, null, null,
                    "never_issued"));
        }
        scanLog.flush();
        // One INSERT for the 50: the test profile's max-delay is an hour, so only the flush wrote them.
        assertEquals(1, meters.get("tracemark.scan.log.groups").counter().count() - groupsBefore);
        try (Connection db = dataSource.getConnection(); PreparedStatement select = db.prepareStatement(
                "select count(*), count(distinct id) from scan where gtin = ? and serial like 'H2GROUP%'")) {
            select.setString(1, gtin);
            try (ResultSet row = select.executeQuery()) {
                assertTrue(row.next());
                assertEquals(List.of(50L, 50L), List.of(row.getLong(1), row.getLong(2)));
            }
        }
    }
}
