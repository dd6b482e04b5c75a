package io.tracemark.trace.tracing;

import static io.tracemark.trace.tracing.Story.capture;
import static io.tracemark.trace.tracing.Story.commissioning;
import static io.tracemark.trace.tracing.Story.recalling;
import static io.tracemark.trace.tracing.Story.selling;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chromium.HasCdp;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.fixtures.PostgresDatabase;
import io.tracemark.trace.Browser;

/**
 * The consumer's scan page in a real headless Chromium at phone size: one page per verdict, in
 * English and Chinese, scan by photo, and the rate limit's page. Screenshots go to docs/screenshots.
 */
@QuarkusTest
class ScanBrowserTest {

    private static final Path SCREENSHOTS = Path.of("..", "docs", "screenshots");

    @TestHTTPResource("/")
    URL base;

    /**
     * A browser laid out as a phone: headless Chromium keeps its window at least 500 px wide, so
     * the phone's width is set on the page itself, as the browser's device emulation does.
     */
    private Browser phone(String language) {
        Browser browser = Browser.open(URI.create(base.toString()), Browser.PHONE, language);
        ((HasCdp) browser.driver()).executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", Browser.PHONE.getWidth(), "height", Browser.PHONE.getHeight(), "deviceScaleFactor", 1,
                        "mobile", true));
        return browser;
    }

    /** The whole page at the phone's width, however long it is. */
    private static void screenshot(Browser browser, String name) throws IOException {
        HasCdp cdp = (HasCdp) browser.driver();
        Map<String, Object> metrics = cdp.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        Number height = (Number) ((Map<?, ?>) metrics.get("cssContentSize")).get("height");
        Map<String, Object> shot = cdp.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", Browser.PHONE.getWidth(),
                        "height", height.intValue(), "scale", 1)));
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name), Base64.getDecoder().decode((String) shot.get("data")));
    }

    /** A batch of two made in Sevilla, the first item sold in Barcelona. */
    private static Story.Batch soldInBarcelona() {
        Story.Batch batch = Story.batch(2);
        Story.Site shop = Story.site("Tienda Barcelona", "retailer", "Barcelona", "ES", 41.39, 2.17);
        capture(commissioning("2026-11-02T08:00:00.000+01:00", batch.factory(), batch.uris().toArray(String[]::new)),
                selling("2026-11-06T18:30:00.000+01:00", shop, batch.uris().get(0)));
        return batch;
    }

    @Test
    void aGenuineItemShowsProductVerdictOriginJourneyAndSale() throws IOException {
        Story.Batch batch = soldInBarcelona();
        try (Browser browser = phone("en")) {
            browser.go(ScanPageTest.path(batch.uris().get(0)));
            assertEquals("en", browser.find("html").getAttribute("lang"));
            assertEquals("Olive oil 500 ml", browser.text("main h1"));
            assertEquals("Genuine code", browser.text(".verdict-word strong"));
            assertTrue(browser.text(".verdict .advice").contains("use the product as intended"));
            String origin = browser.text("section[aria-labelledby=origin-heading] dl");
            assertTrue(origin.contains("Almazara Sevilla, Sevilla, Spain"), origin);
            assertTrue(origin.contains(batch.lot()), origin);
            assertTrue(origin.contains("2026-11-20") && origin.contains("2028-11-20"), origin);
            List<String> steps = browser.driver().findElements(By.cssSelector("ol.timeline li")).stream()
                    .map(WebElement::getText).toList();
            assertEquals(2, steps.size(), steps.toString());
            assertTrue(steps.get(0).contains("Made and marked") && steps.get(1).contains("Sold"), steps.toString());
            assertEquals("Sold at Tienda Barcelona, Barcelona, Spain on 2026-11-06 18:30 +01:00.", browser.text("p.sold"));
            assertReadable(browser, ".verdict-word strong");
            assertReadable(browser, ".verdict .advice");
            screenshot(browser, "scan-genuine.png");
        }
    }

    @Test
    void aCodeNeverIssuedWarnsOfACounterfeit() {
        Story.Batch batch = Story.batch(1);
        String forged = ScanPageTest.forged(batch.serials().get(0));
        try (Browser browser = phone("en")) {
            browser.go("/01/" + batch.gtin() + "/21/" + forged);
            assertEquals("Unknown code: possibly counterfeit", browser.text(".verdict-word strong"));
            assertTrue(browser.text(".verdict .advice").contains("Do not use the product"));
            assertEquals(forged, browser.text("dd.serial"));
            assertReadable(browser, ".verdict .advice");
        }
    }

    @Test
    void aVoidedCodeSaysItShouldNotBeOnAProduct() throws SQLException {
        Story.Batch batch = Story.batch(1);
        try (Connection db = PostgresDatabase.connect();
                PreparedStatement update = db.prepareStatement("update code set state = 'VOIDED' where serial = ?")) {
            update.setString(1, batch.serials().get(0));
            assertEquals(1, update.executeUpdate());
        }
        try (Browser browser = phone("en")) {
            browser.go(ScanPageTest.path(batch.uris().get(0)));
            assertEquals("Cancelled code", browser.text(".verdict-word strong"));
            assertTrue(browser.text(".verdict .advice").contains("should not be on any product"));
        }
    }

    @Test
    void aRecalledItemTellsTheConsumerToStopUsingIt() throws IOException {
        Story.Batch batch = Story.batch(1);
        capture(commissioning("2026-11-02T08:00:00.000+01:00", batch.factory(), batch.uris().get(0)),
                recalling("2026-11-10T08:00:00.000+01:00", batch.factory(), batch.uris().get(0)));
        try (Browser browser = phone("en")) {
            browser.go(ScanPageTest.path(batch.uris().get(0)));
            assertEquals("Recalled product", browser.text(".verdict-word strong"));
            assertTrue(browser.text(".verdict .advice").contains("Stop using it"));
            assertTrue(browser.text("ol.timeline").contains("Held back"));
            assertReadable(browser, ".verdict-word strong");
            screenshot(browser, "scan-recalled.png");
        }
    }

    @Test
    void anItemSoldInBarcelonaAndScannedInBerlinMayBeACopy() {
        Story.Batch batch = soldInBarcelona();
        try (Browser browser = phone("en")) {
            browser.go(ScanPageTest.path(batch.uris().get(0)) + "?lat=52.52&lon=13.40");
            assertEquals("Already sold elsewhere", browser.text(".verdict-word strong"));
            assertTrue(browser.text(".verdict .advice").contains("its code may have been copied"));
        }
    }

    @Test
    void aChineseBrowserReadsThePageInChinese() throws IOException {
        Story.Batch batch = soldInBarcelona();
        try (Browser browser = phone("zh-CN")) {
            browser.go(ScanPageTest.path(batch.uris().get(0)));
            assertEquals("zh", browser.find("html").getAttribute("lang"));
            assertEquals("这件产品是正品吗？", browser.text("#verdict-heading"));
            assertEquals("正品码", browser.text(".verdict-word strong"));
            assertTrue(browser.text("ol.timeline").contains("生产并赋码"));
            assertTrue(browser.text("p.sold").contains("西班牙"));
            screenshot(browser, "scan-zh.png");
        }
    }

    @Test
    void aPhotoOfTheCodeOpensItsPage() throws IOException {
        Story.Batch batch = soldInBarcelona();
        Path photo = Files.createTempFile("etched-code", ".jpg");
        Files.write(photo, ScanPhotoTest.photoOfEtchedQr(batch.uris().get(0), 17));
        try (Browser browser = phone("en")) {
            browser.go("/scan");
            browser.find("#photo").sendKeys(photo.toAbsolutePath().toString());
            browser.find("form button[type=submit]").click();
            browser.await(driver -> driver.getCurrentUrl().contains("/21/" + batch.serials().get(0)));
            assertEquals("Genuine code", browser.text(".verdict-word strong"));
        } finally {
            Files.delete(photo);
        }
    }

    @Test
    void aPhotoWithoutACodeSaysSoAndOffersTheFormAgain() throws IOException {
        Path photo = Files.createTempFile("no-code", ".jpg");
        Files.write(photo, Photos.withoutCode(5));
        try (Browser browser = phone("en")) {
            browser.go("/scan");
            browser.find("#photo").sendKeys(photo.toAbsolutePath().toString());
            browser.find("form button[type=submit]").click();
            browser.await(driver -> driver.findElements(By.id("problem-heading")).size() == 1);
            assertEquals("No code could be read in this photo", browser.text("#problem-heading").replace("!", "").strip());
            assertTrue(browser.text(".advice").contains("fill the picture with the code"));
            assertTrue(browser.find("#photo").isDisplayed());
        } finally {
            Files.delete(photo);
        }
    }

    @Test
    void tooManyScansFromOneConnectionShowAPageSayingHowLongToWait() {
        Story.Batch batch = Story.batch(1);
        try (Browser browser = phone("en")) {
            ((HasCdp) browser.driver()).executeCdpCommand("Network.enable", Map.of());
            ((HasCdp) browser.driver()).executeCdpCommand("Network.setExtraHTTPHeaders",
                    Map.of("headers", Map.of("X-Forwarded-For", ScanPageTest.newClient())));
            for (int i = 0; i < 5; i++) {
                browser.go(ScanPageTest.path(batch.uris().get(0)));
                assertEquals("Olive oil 500 ml", browser.text("main h1"));
            }
            browser.go(ScanPageTest.path(batch.uris().get(0)));
            assertTrue(browser.text("#problem-heading").contains("Too many scans from your connection"));
            assertTrue(browser.text(".advice").matches("Please wait [1-9][0-9]* seconds, then try again\\."),
                    browser.text(".advice"));
        }
        assertEquals(5, TraceResolverTest.scans(batch.serials().get(0)).size());
    }

    /**
     * Text against the background of its section meets WCAG AA (4.5:1), as the browser computes the
     * colours: the verdict must not rely on a colour few can read.
     */
    private static void assertReadable(Browser browser, String css) {
        String script = "const el = document.querySelector(arguments[0]);"
                + "let bg = el; while (bg && getComputedStyle(bg).backgroundColor.match(/rgba\\(0, 0, 0, 0\\)|transparent/))"
                + " bg = bg.parentElement;"
                + "const rgb = s => s.match(/\\d+/g).slice(0, 3).map(Number);"
                + "const lum = c => { const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92"
                + " : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };"
                + "const a = lum(rgb(getComputedStyle(el).color)), b = lum(rgb(getComputedStyle(bg).backgroundColor));"
                + "return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);";
        Number ratio = (Number) ((JavascriptExecutor) browser.driver()).executeScript(script, css);
        assertTrue(ratio.doubleValue() >= 4.5, css + " contrast " + ratio);
    }
}
