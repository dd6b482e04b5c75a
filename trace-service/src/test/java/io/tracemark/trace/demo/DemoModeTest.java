package io.tracemark.trace.demo;

import static io.tracemark.trace.Api.anonymous;
import static io.tracemark.trace.Api.asAdmin;
import static org.hamcrest.Matchers.containsInRelativeOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import io.tracemark.trace.config.TracemarkConfig;
import io.tracemark.trace.storage.EmbeddedDatabase;

/**
 * Demo mode on the zero-install default, switched on by configuration as TRACEMARK_DEMO does: the
 * story runs after start through the real driver, the simulator and the in-JVM broker, and what it
 * prints leads to a real story on the scan path.
 */
@QuarkusTest
@TestProfile(DemoModeTest.Demo.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoModeTest {

    static final Path DATA = EmbeddedDatabase.dataFolder("demo");
    static final int ITEMS = 48;
    static final int BROKER_PORT = freePort();

    public static class Demo implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return EmbeddedDatabase.at(DATA, "tracemark.mqtt.embedded-broker", "true",
                    "tracemark.mqtt.embedded-broker-port", Integer.toString(BROKER_PORT),
                    "tracemark.demo.enabled", "true", "tracemark.demo.items", Integer.toString(ITEMS),
                    "tracemark.demo.items-per-second", "20");
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(RecordedDemoOutput.class);
        }
    }

    @Inject
    DemoMode demo;
    @Inject
    DemoStory story;
    @Inject
    RecordedDemoOutput printed;
    @Inject
    TracemarkConfig config;

    @Test
    @Order(1)
    void tellsTheWholeStoryAfterStartAndPrintsWhereToScan() throws Exception {
        DemoReport report = demo.finished().get(3, TimeUnit.MINUTES);

        assertEquals(ITEMS, report.items());
        assertFalse(report.retold());
        assertEquals(report.soldItem(), printed.after("sold at Demo shop Barcelona:"));
        // The voids printed are those the registry holds for the batch, whatever their reason.
        assertEquals(DemoPrintout.voids(report) + ".", printed.after("Codes voided on the line:"));
        asAdmin().get("/api/batches/" + report.batchId() + "/codes?state=VOIDED&size=1").then()
                .statusCode(200).body("total", equalTo((int) report.voided()));
        assertEquals(report.shelfItem(), printed.after("on the shelf at Demo shop Valencia:"));
        assertEquals(report.warehouseItem(), printed.after("in Demo warehouse:"));
        String here = "http://localhost:" + RestAssured.port;
        String resolver = config.codes().resolverBaseUrl();
        assertEquals(resolver + "; here the same paths answer at " + here + ")", printed.after("codes name"));
        assertEquals(here + "/console/  user admin, password the one set in TRACEMARK_ADMIN_PASSWORD",
                printed.after("Console:"));
        assertTrue(report.soldItem().startsWith(resolver + "/01/" + DemoWorld.GTIN + "/21/"),
                "a code as printed on the item, on the configured resolver: " + report.soldItem());
        asAdmin().get("/api/batches/" + report.batchId() + "/codes?state=COMMISSIONED&size=1").then()
                .statusCode(200).body("total", equalTo(ITEMS));
        asAdmin().get("/api/marking-runs?size=1").then().statusCode(200)
                .body("items[0].state", equalTo("FINISHED")).body("items[0].verified", equalTo(ITEMS))
                .body("items[0].startedBy", equalTo("demo"));
    }

    @Test
    @Order(2)
    void theSoldItemWentFromTheFactoryThroughTheWarehouseAndTheDistributorToTheShopThatSoldIt() {
        scan(report().soldItem()).body("verdict", equalTo("genuine"))
                .body("product.name", equalTo("Demo olive oil 500 ml"))
                .body("origin.madeAt.name", equalTo("Demo olive mill"))
                .body("journey.place.name", containsInRelativeOrder("Demo olive mill", "Demo warehouse",
                        "Demo distributor", "Demo shop Barcelona"))
                .body("journey[0].bizStep", equalTo("commissioning"))
                .body("journey[-1].bizStep", equalTo("retail_selling"))
                .body("sold.place.name", equalTo("Demo shop Barcelona"));
    }

    @Test
    @Order(3)
    void theUnsoldItemsAreOnAShelfAndInTheWarehouse() {
        scan(report().shelfItem()).body("verdict", equalTo("genuine")).body("sold", nullValue())
                .body("journey.place.name", containsInRelativeOrder("Demo warehouse", "Demo distributor",
                        "Demo shop Valencia"))
                .body("journey[-1].place.name", equalTo("Demo shop Valencia"));
        scan(report().warehouseItem()).body("verdict", equalTo("genuine")).body("sold", nullValue())
                .body("journey[-1].place.name", equalTo("Demo warehouse"));
    }

    @Test
    @Order(4)
    void toldAgainOnTheSameDataItRetellsTheFinishedBatchAndWritesNothing() {
        DemoReport first = report();

        DemoReport again = story.tell();

        assertTrue(again.retold());
        assertEquals(first.lot(), again.lot());
        assertEquals(0, again.written(), "every movement was a replay");
        assertEquals(List.of(first.soldItem(), first.shelfItem(), first.warehouseItem()),
                List.of(again.soldItem(), again.shelfItem(), again.warehouseItem()));
    }

    private DemoReport report() {
        return demo.finished().join();
    }

    private static ValidatableResponse scan(String code) {
        return anonymous().accept("application/json").get(code.replaceFirst("^https?://[^/]+", "")).then()
                .statusCode(200);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
