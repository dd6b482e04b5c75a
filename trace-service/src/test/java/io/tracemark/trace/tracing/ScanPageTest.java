package io.tracemark.trace.tracing;

import static io.tracemark.trace.Api.anonymous;
import static io.tracemark.trace.tracing.Story.capture;
import static io.tracemark.trace.tracing.Story.commissioning;
import static io.tracemark.trace.tracing.Story.packing;
import static io.tracemark.trace.tracing.Story.receiving;
import static io.tracemark.trace.tracing.Story.selling;
import static io.tracemark.trace.tracing.Story.shipping;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.tracemark.fixtures.Gs1Numbers;

/**
 * The scan page at a code's own URL: chosen by Accept (page for browsers, JSON for apps) and by
 * the GS1 linkType parameter (linkset, or a redirect to one link); bad requests answered as a page
 * or a problem document, with no scan recorded; and the rate limit of the public scan endpoints.
 */
@QuarkusTest
class ScanPageTest {

    static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    private static final AtomicInteger CLIENTS = new AtomicInteger((int) (System.nanoTime() % 200));

    static RequestSpecification browser() {
        return anonymous().accept(BROWSER_ACCEPT).header("Accept-Language", "en-GB,en;q=0.9");
    }

    static RequestSpecification app() {
        return anonymous().accept("application/json");
    }

    /** A client address no other test uses, as the proxy in front would report it. */
    static String newClient() {
        int n = CLIENTS.incrementAndGet();
        return "198.51." + (100 + n / 250) + "." + (1 + n % 250);
    }

    /** The serial with its last check character changed: what a forger who guessed would print. */
    static String forged(String serial) {
        return serial.substring(0, 17) + (serial.charAt(17) == 'A' ? 'B' : 'A');
    }

    static String path(String uri) {
        return uri.replaceFirst("^https?://[^/]+", "");
    }

    @Test
    void aBrowserGetsThePageAndAnAppTheJsonOfTheSameCode() {
        Story.Batch batch = Story.batch(1);
        String item = path(batch.uris().get(0));
        capture(commissioning("2026-11-02T08:00:00.000+01:00", batch.factory(), batch.uris().get(0)));
        browser().get(item).then().statusCode(200)
                .contentType(startsWith("text/html"))
                .header("Vary", containsString("Accept-Language"))
                .header("Link", containsString("rel=\"linkset\""))
                .body(containsString("<html lang=\"en\">"))
                .body(containsString("<h1>Olive oil 500 ml</h1>"))
                .body(containsString("Genuine code"))
                .body(containsString("use the product as intended"))
                .body(containsString("Almazara Sevilla, Sevilla, Spain"))
                .body(containsString("Bottling line"))
                .body(containsString(batch.lot()))
                .body(containsString("2028-11-20"))
                .body(containsString("<ol class=\"timeline\">"))
                .body(containsString("Made and marked"));
        app().get(item).then().statusCode(200).contentType(startsWith("application/json"))
                .body("verdict", equalTo("genuine"));
        // Quality decides, not the order in which types are named.
        anonymous().accept("application/json;q=0.5, text/html").get(item).then().statusCode(200)
                .contentType(startsWith("text/html"));
        // A client that names nothing in particular is an app.
        anonymous().accept("*/*").get(item).then().statusCode(200).contentType(startsWith("application/json"));
        assertEquals(4, TraceResolverTest.scans(batch.serials().get(0)).size());
    }

    @Test
    void thePageSaysWhetherTheCodeWasScannedBefore() {
        Story.Batch batch = Story.batch(1);
        String item = path(batch.uris().get(0));
        capture(commissioning("2026-11-02T08:00:00.000+01:00", batch.factory(), batch.uris().get(0)));
        browser().header("CF-IPCountry", "ES").get(item).then().statusCode(200)
                .body(containsString("<h2 id=\"scans-heading\">Earlier scans</h2>"))
                .body(containsString("This is the first scan of this code."));
        TraceResolverTest.scans(batch.serials().get(0));
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        browser().get(item).then().statusCode(200)
                .body(containsString("This code was scanned once before, first on " + today + " in Spain."))
                .body(not(containsString("first scan of this code")));
        TraceResolverTest.scans(batch.serials().get(0));
        anonymous().accept(BROWSER_ACCEPT).header("Accept-Language", "zh-CN").get(item).then().statusCode(200)
                .body(containsString("此代码此前已被扫描2次，首次扫描于" + today + "（西班牙）。"));
    }

    @Test
    void thePageIsInChineseWhenTheBrowserPrefersItAndInEnglishForOtherLanguages() {
        Story.Batch batch = Story.batch(1);
        String item = path(batch.uris().get(0));
        capture(commissioning("2026-11-02T08:00:00.000+01:00", batch.factory(), batch.uris().get(0)));
        anonymous().accept(BROWSER_ACCEPT).header("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.8").get(item).then()
                .statusCode(200)
                .body(containsString("<html lang=\"zh\">"))
                .body(containsString("这件产品是正品吗？"))
                .body(containsString("正品码"))
                .body(containsString("西班牙"));
        anonymous().accept(BROWSER_ACCEPT).header("Accept-Language", "fr-FR,fr;q=0.9").get(item).then()
                .statusCode(200)
                .body(containsString("<html lang=\"en\">"))
                .body(containsString("Genuine code"));
    }

    @Test
    void thePageShowsTheSaleButNoPartnersTermsNorOtherItems() {
        Story.Batch batch = Story.batch(2);
        Story.Site warehouse = Story.site("Almacén Madrid", "warehouse", "Madrid", "ES", 40.42, -3.70);
        Story.Site shop = Story.site("Tienda Barcelona", "retailer", "Barcelona", "ES", 41.39, 2.17);
        String item = batch.uris().get(0);
        String packed = Story.sscc();
        String pallet = Story.sscc();
        capture(commissioning("2026-11-02T08:00:00.000+01:00", batch.factory(), batch.uris().toArray(String[]::new)),
                packing("2026-11-02T09:00:00.000+01:00", batch.factory(), packed, item),
                packing("2026-11-02T09:10:00.000+01:00", batch.factory(), pallet, packed),
                shipping("2026-11-03T08:00:00.000+01:00", batch.factory(), warehouse, item),
                receiving("2026-11-04T08:00:00.000+01:00", batch.factory(), warehouse, item),
                selling("2026-11-06T18:30:00.000+01:00", shop, item));
        String page = browser().get(path(item)).then().statusCode(200)
                .body(containsString("Sold at Tienda Barcelona, Barcelona, Spain on 2026-11-06 18:30 +01:00."))
                // A shipment says where it went, at the time on the clocks where it left.
                .body(containsString("<time datetime=\"2026-11-03T08:00+01:00\">2026-11-03 08:00 +01:00</time>"
                        + " <strong>Shipped</strong> <span>Almazara Sevilla, Sevilla, Spain</span>"
                        + " <span class=\"destination\">to Almacén Madrid, Madrid, Spain</span>"))
                .body(containsString("<strong>Received</strong> <span>Almacén Madrid, Madrid, Spain</span></li>"))
                .body(not(containsString("PO-4711-SECRET")))
                .body(not(containsString("2026-000123")))
                .body(not(containsString(shop.gln())))
                .body(not(containsString(warehouse.gln())))
                .body(not(containsString(batch.serials().get(1)))).extract().asString();
        // Packed into a case, and the case onto a pallet, at the same place: one line for the consumer.
        assertEquals(1, page.split("<strong>Packed</strong>", -1).length - 1, page);
    }

    @Test
    void linkTypeAllAnswersTheCodesLinksetAndRecordsNoScan() {
        Story.Batch batch = Story.batch(1);
        String item = path(batch.uris().get(0));
        var linkset = anonymous().queryParam("linkType", "all").get(item).then().statusCode(200)
                .contentType(startsWith("application/linkset+json"))
                .header("Link", containsString("<https://ref.gs1.org/standards/resolver/linkset-context>"))
                .body("linkset[0].anchor", equalTo(batch.uris().get(0)))
                .body("linkset[0].'https://gs1.org/voc/pip'[0].href", endsWith(item))
                .body("linkset[0].'https://gs1.org/voc/pip'[0].type", equalTo("text/html"))
                .body("linkset[0].'https://gs1.org/voc/pip'[0].hreflang", equalTo(List.of("en", "zh")))
                .body("linkset[0].'https://gs1.org/voc/defaultLink'[0].href", endsWith(item))
                .body("linkset[0].'https://gs1.org/voc/traceability'[0].type", equalTo("application/json"))
                .extract().asString();
        // Accept: application/linkset+json asks the same.
        assertEquals(linkset, anonymous().accept("application/linkset+json").get(item).then().statusCode(200)
                .extract().asString());
        assertEquals(List.of(), TraceResolverTest.scans(batch.serials().get(0)));
    }

    @Test
    void aNamedLinkTypeRedirectsToItsLinkAndAnUnknownOneIsNotFound() {
        Story.Batch batch = Story.batch(1);
        String item = path(batch.uris().get(0));
        for (String pip : List.of("gs1:pip", "https://gs1.org/voc/pip")) {
            browser().redirects().follow(false).queryParam("linkType", pip).queryParam("lat", "41.4")
                    .queryParam("lon", "2.2").get(item).then().statusCode(307)
                    .header("Location", containsString(item + "?"))
                    .header("Location", containsString("lat=41.4"))
                    .header("Location", not(containsString("linkType")));
        }
        app().queryParam("linkType", "gs1:recipeInfo").get(item).then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:tracemark:problem:not-found"))
                .body("detail", containsString("gs1:pip"));
        browser().queryParam("linkType", "gs1:recipeInfo").get(item).then().statusCode(404)
                .contentType(startsWith("text/html"))
                .body(containsString("Nothing found here"));
        assertEquals(List.of(), TraceResolverTest.scans(batch.serials().get(0)));
    }

    @Test
    void aCodeNeverIssuedGetsAWarningPageAndItsScanIsCounted() {
        Story.Batch batch = Story.batch(1);
        String forged = forged(batch.serials().get(0));
        browser().get("/01/" + batch.gtin() + "/21/" + forged).then().statusCode(404)
                .contentType(startsWith("text/html"))
                .body(containsString("verdict-never_issued"))
                .body(containsString("Unknown code: possibly counterfeit"))
                .body(containsString("Do not use the product"))
                .body(containsString(forged));
        assertEquals(List.of("never_issued"), TraceResolverTest.scans(forged).stream().map(TraceResolverTest.Row::verdict)
                .toList());
    }

    @Test
    void aCodeIssuedButNeverCommissionedWarnsThatItIsNotInCirculation() {
        Story.Batch batch = Story.batch(1);
        String item = path(batch.uris().get(0));
        browser().get(item).then().statusCode(200)
                .contentType(startsWith("text/html"))
                .body(containsString("verdict-not_in_circulation"))
                .body(containsString("Code not in circulation: possibly counterfeit"))
                .body(containsString("no product carrying it has left the factory"))
                .body(containsString("Olive oil 500 ml"))
                .body(not(containsString("Almazara Sevilla")))
                .body(not(containsString("Genuine code")));
        anonymous().accept(BROWSER_ACCEPT).header("Accept-Language", "zh-CN").get(item).then().statusCode(200)
                .body(containsString("代码尚未投入流通：可能是假冒产品"));
        assertEquals(List.of("not_in_circulation", "not_in_circulation"), TraceResolverTest.scans(
                batch.serials().get(0)).stream().map(TraceResolverTest.Row::verdict).toList());
    }

    @Test
    void badPathsAreExplainedToBrowsersAndAppsAndNoScanIsRecorded() {
        Story.Batch batch = Story.batch(1);
        String serial = batch.serials().get(0);
        String wrongCheckDigit = "/01/" + Gs1Numbers.breakCheckDigit(batch.gtin()) + "/21/" + serial;
        browser().get(wrongCheckDigit).then().statusCode(400)
                .contentType(startsWith("text/html"))
                .body(containsString("This is not a valid product code"))
                .body(containsString("Scan the code again"))
                .body(containsString("check digit"));
        app().get(wrongCheckDigit).then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:tracemark:problem:validation-failed"))
                .body("violations[0].field", equalTo("gtin"));
        browser().get("/01/" + batch.gtin() + "/21/" + "X".repeat(21)).then().statusCode(400)
                .body(containsString("This is not a valid product code"));
        browser().get("/01/" + batch.gtin() + "/99/" + serial).then().statusCode(404)
                .contentType(startsWith("text/html"));
        assertEquals(List.of(), TraceResolverTest.scans(serial));
    }

    @Test
    void tooManyScansFromOneAddressAreRefusedWithRetryAfterAndNotRecorded() {
        Story.Batch batch = Story.batch(1);
        String item = path(batch.uris().get(0));
        String client = newClient();
        for (int i = 0; i < 5; i++) {
            app().header("X-Forwarded-For", client).get(item).then().statusCode(200);
        }
        app().header("X-Forwarded-For", client).get(item).then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", org.hamcrest.Matchers.matchesPattern("[1-9][0-9]*"))
                .body("type", equalTo("urn:tracemark:problem:too-many-requests"));
        browser().header("X-Forwarded-For", client).get(item).then().statusCode(429)
                .contentType(startsWith("text/html"))
                .body(containsString("Too many scans from your connection"))
                .body(containsString("Please wait "));
        anonymous().header("X-Forwarded-For", client).body(Map.of("code", batch.serials().get(0)))
                .post("/api/codes/check").then().statusCode(429);
        assertEquals(5, TraceResolverTest.scans(batch.serials().get(0)).size());
        // Another address still has its whole allowance; the proxy's own address is the last one listed.
        app().header("X-Forwarded-For", client + ", " + newClient()).get(item).then().statusCode(200);
    }
}
