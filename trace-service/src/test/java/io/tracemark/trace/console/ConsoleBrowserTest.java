package io.tracemark.trace.console;

import static io.tracemark.trace.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.trace.Api;
import io.tracemark.trace.Browser;
import io.tracemark.trace.movement.Production;
import io.tracemark.trace.roles.Roles;

/** The regulator console in a real headless Chromium, as a regulator uses it. */
@QuarkusTest
class ConsoleBrowserTest {

    static final Path SCREENSHOTS = Path.of("..", "docs", "screenshots");

    @TestHTTPResource("/")
    URL base;

    @Inject
    Production production;

    /** Signs in through the sign-in form as the given user. */
    static Browser signedIn(Browser browser, String user, String password) {
        browser.go("/console/sign-in");
        browser.find("#j_username").sendKeys(user);
        browser.find("#j_password").sendKeys(password);
        browser.find("form[action='/console/j_security_check'] button").click();
        // The form's answer is a page that says who is signed in, or that the password was wrong.
        browser.await(d -> !d.findElements(By.id("user")).isEmpty() || !d.findElements(By.id("sign-in-error")).isEmpty());
        return browser;
    }

    private Browser regulator() throws Exception {
        return signedIn(Browser.open(base.toURI(), Browser.DESKTOP), "console-regulator",
                Api.user("console-regulator", Roles.REGULATOR));
    }

    @Test
    void aWrongPasswordIsToldOnTheSignInPageAndTheRightOneOpensTheConsoleUntilSignOut() throws Exception {
        String password = Api.user("console-regulator", Roles.REGULATOR);
        try (Browser browser = Browser.open(base.toURI(), Browser.DESKTOP)) {
            signedIn(browser, "console-regulator", "wrong-password");
            assertEquals("The user name or password is wrong. Check both and try again.",
                    browser.await(d -> browser.text("#sign-in-error")));
            assertTrue(browser.driver().findElements(By.id("user")).isEmpty(), "nobody is signed in");

            signedIn(browser, "console-regulator", password);
            assertEquals("console-regulator", browser.await(d -> browser.text("#user")));
            assertTrue(browser.driver().getCurrentUrl().endsWith("/console/"), browser.driver().getCurrentUrl());
            assertEquals("Search the ledger", browser.text("h1"));

            browser.find(".sign-out button").click();
            assertEquals("You are signed out.", browser.await(d -> browser.text(".notice")));
            browser.go("/console/");
            assertEquals("Sign in to Tracemark", browser.await(d -> browser.text("h1")), "the session is gone");
        }
    }

    @Test
    void searchFindsTheItemAndItsEvidenceShowsTheJourneyAndTheChainCheck() throws Exception {
        ConsoleStory.Told story = ConsoleStory.tell(production, 4);
        try (Browser browser = regulator()) {
            browser.find("#q").sendKeys(story.lot().lot());
            browser.find("form.search button").click();
            WebElement batchLink = browser.await(d -> d.findElement(By.cssSelector(".hit-batch a")));
            assertTrue(batchLink.getText().contains("lot " + story.lot().lot()), batchLink.getText());

            browser.find("#q").clear();
            browser.find("#q").sendKeys(story.codes().get(0));
            browser.find("form.search button").click();
            browser.await(d -> d.findElement(By.cssSelector(".hit-item a"))).click();

            assertTrue(browser.await(d -> browser.text("#chain-result")).length() > 0);
            String chain = browser.await(d -> browser.text("#chain-result").startsWith("Chain intact")
                    ? browser.text("#chain-result") : null);
            assertTrue(chain.contains("events of the ledger check out"), chain);
            assertTrue(browser.text("#origin").contains("Olive oil 500 ml"), browser.text("#origin"));
            assertTrue(browser.text("#destination").startsWith("Sold at " + story.shopName()), browser.text("#destination"));
            List<WebElement> steps = browser.driver().findElements(By.cssSelector("#journey tbody tr"));
            // commissioning, packing, the case's shipping and receiving, unpacking, shipping, receiving, selling
            assertEquals(8, steps.size());
            assertTrue(steps.stream().anyMatch(row -> row.getText().contains("inherited from")),
                    "the case's events reach the item");
            assertTrue(steps.get(steps.size() - 1).getText().contains("retail_sold"));
            List<String> routes = steps.stream().map(row -> row.findElement(By.cssSelector("td:nth-child(5)")).getText())
                    .toList();
            assertTrue(routes.contains("Factory Sevilla → " + story.warehouseName()),
                    "a shipment shows where from and where to, each place once: " + routes);
        }
    }

    @Test
    void aBatchsTraceIsATablePageByPageWithAChartOfWhereItWent() throws Exception {
        ConsoleStory.Told story = ConsoleStory.tell(production, 5);
        // Codes allocated but never marked: the table pages through them all.
        asAdmin().body(Map.of("count", 145)).post("/api/batches/" + story.batchId() + "/codes").then().statusCode(201);
        try (Browser browser = regulator()) {
            browser.go("/console/batches/" + story.batchId());
            assertEquals(100, browser.driver().findElements(By.cssSelector("#items tbody tr")).size());
            WebElement shop = browser.await(d -> d.findElements(By.cssSelector("#by-site li")).stream()
                    .filter(bar -> bar.getText().contains(story.shopName())).findFirst().orElse(null));
            assertTrue(shop.getText().endsWith("2"), shop.getText());
            assertTrue(browser.text("#by-state").contains("retail_sold"), browser.text("#by-state"));
            assertTrue(browser.text("#counts-status").startsWith("150 items"), browser.text("#counts-status"));
            assertEquals("/console/api/batches/" + story.batchId() + "/items.csv",
                    URI.create(browser.find("a[href$='items.csv']").getAttribute("href")).getPath());
            browser.screenshot(SCREENSHOTS.resolve("console-batch.png"));

            browser.find("#next-page").click();
            assertEquals(50, browser.await(d -> d.findElements(By.cssSelector("#items tbody tr"))).size());
            assertTrue(browser.driver().findElements(By.id("next-page")).isEmpty(), "the last page has no next");
        }
    }

    @Test
    void aRegulatorRecallsTheBatchWithAReasonAndWatchesItsProgress() throws Exception {
        ConsoleStory.Told story = ConsoleStory.tell(production, 5);
        try (Browser browser = regulator()) {
            browser.go("/console/batches/" + story.batchId());
            assertFalse(browser.find("#recall-progress").isDisplayed(), "no recall yet");
            browser.find("#recall-reason-input").sendKeys("Glass splinters found in bottles of this lot");
            browser.find("#recall-form button").click();
            String recorded = browser.await(d -> browser.text("#recall-message").startsWith("Recall recorded")
                    ? browser.text("#recall-message") : null);
            assertTrue(recorded.contains("(event urn:uuid:"), recorded);
            browser.await(d -> browser.find("#recall-progress").isDisplayed());
            assertEquals("Glass splinters found in bottles of this lot", browser.text("#recall-reason"));
            assertEquals("5", browser.text("#recall-recalled"));
            assertEquals("5", browser.text("#recall-located"));
            assertEquals("1", browser.text("#recall-sold"));
            assertEquals("0", browser.text("#recall-returned"));

            // The warehouse takes back the item it holds: the page shows it without being reloaded.
            ConsoleStory.move("receive", Map.of("site", Map.of("siteId", story.warehouse()),
                    "epcs", List.of(story.codes().get(2))));
            browser.await(d -> "1".equals(browser.text("#recall-returned")));
            browser.screenshot(SCREENSHOTS.resolve("console-recall.png"));
        }
    }

    @Test
    void eachRoleSeesOnlyItsOwnPages() throws Exception {
        try (Browser browser = signedIn(Browser.open(base.toURI(), Browser.DESKTOP), "console-operator",
                Api.user("console-operator", Roles.OPERATOR))) {
            assertEquals("Line view", browser.await(d -> browser.text("h1")), "operators land on the line view");
            browser.go("/console/batches/1");
            assertEquals("Not for your role", browser.text("h1"));
        }
        try (Browser browser = regulator()) {
            browser.go("/console/line");
            assertEquals("Not for your role", browser.text("h1"));
        }
    }
}
