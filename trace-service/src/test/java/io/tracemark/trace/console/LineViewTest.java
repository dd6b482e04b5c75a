package io.tracemark.trace.console;

import static io.tracemark.trace.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tracemark.trace.Api;
import io.tracemark.trace.Browser;
import io.tracemark.trace.marking.SimulatedLine;
import io.tracemark.trace.marking.StationPeripherals;
import io.tracemark.trace.roles.Roles;

/** The line view following a real run: the simulator marking over MQTT, its camera grading each mark. */
@QuarkusTest
class LineViewTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    StationPeripherals peripherals;

    @Test
    void theLineViewFollowsARunningLineMarkByMark() throws Exception {
        try (SimulatedLine line = SimulatedLine.start(peripherals).withCamera();
                Browser browser = ConsoleBrowserTest.signedIn(Browser.open(base.toURI(), Browser.DESKTOP),
                        "line-operator", Api.user("line-operator", Roles.OPERATOR))) {
            long id = asAdmin().body(Map.of("batchId", line.batchId, "count", 60)).post("/api/marking-runs")
                    .then().statusCode(201).extract().jsonPath().getLong("id");
            WebElement panel = browser.await(d -> d.findElement(By.id("run-" + id)));
            long first = browser.await(d -> verified(panel) > 0 ? verified(panel) : null);
            long later = browser.await(d -> verified(panel) > first + 10 ? verified(panel) : null);
            assertTrue(later > first, "the panel updates without a reload");
            assertTrue(graded(panel) > 0, "the grade distribution fills");
            assertTrue(figure(panel, "state").startsWith("RUNNING"), figure(panel, "state"));
            assertTrue(Double.parseDouble(figure(panel, "rate")) > 0, figure(panel, "rate"));
            browser.screenshot(ConsoleBrowserTest.SCREENSHOTS.resolve("line-view.png"));

            SimulatedLine.await(() -> "FINISHED".equals(asAdmin().get("/api/marking-runs/" + id).then().extract()
                    .jsonPath().getString("state")), Duration.ofSeconds(120), "the run to finish: "
                    + asAdmin().get("/api/marking-runs/" + id).asString());
            browser.await(d -> panel.getAttribute("class").contains("ended"));
            JsonPath stored = asAdmin().get("/api/marking-runs/" + id).then().statusCode(200).extract().jsonPath();
            Map<String, Integer> grades = stored.getMap("grades");
            assertEquals(java.util.List.of("A", "B", "C", "D", "F"), java.util.List.copyOf(grades.keySet()));
            long sum = grades.values().stream().mapToLong(Integer::longValue).sum();
            assertTrue(sum >= stored.getLong("verified"), grades + " for " + stored.getLong("verified") + " verified");
            assertEquals(String.valueOf(sum), String.valueOf(graded(panel)), "the page's last figures are the stored ones");
        }
    }

    private static String figure(WebElement panel, String key) {
        return panel.findElement(By.cssSelector("[data-figure='" + key + "']")).getText();
    }

    private static long verified(WebElement panel) {
        String text = figure(panel, "verified").replace(",", "");
        return text.matches("\\d+") ? Long.parseLong(text) : 0;
    }

    private static long graded(WebElement panel) {
        return panel.findElements(By.cssSelector("[data-grade] .count")).stream()
                .mapToLong(count -> Long.parseLong(count.getText().replace(",", ""))).sum();
    }
}
