package io.tracemark.trace.console;

import static io.tracemark.trace.Api.NUMBERS;
import static io.tracemark.trace.Api.asAdmin;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.tracemark.fixtures.Gs1Numbers;
import io.tracemark.trace.movement.Production;

/**
 * A batch with a story, told the way stations and partners tell it, through /api/movements:
 * items made and commissioned at a factory, some packed in a case that goes to a warehouse, two of
 * them on to a shop where one is sold.
 */
final class ConsoleStory {

    private static final AtomicLong REQUESTS = new AtomicLong();
    private static final AtomicLong SSCC_REFS = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    /** The batch, its codes as printed, the case (SSCC) and the sites the items went to. */
    record Told(Production.Lot lot, List<String> codes, String sscc, long warehouse, String warehouseName, long shop,
            String shopName) {

        long batchId() {
            return lot.batchId();
        }
    }

    private ConsoleStory() {
    }

    /**
     * {@code count} items (at least 4): the first three packed in a case shipped to and received at
     * a warehouse, the first two shipped on to a shop, the first one sold there.
     */
    static Told tell(Production production, int count) {
        Production.Lot lot = production.commissioned(count);
        production.end(lot);
        List<String> codes = lot.codes();
        String suffix = String.valueOf(System.nanoTime() % 100_000);
        String warehouseName = "Warehouse Zaragoza " + suffix;
        String shopName = "Shop Madrid " + suffix;
        long warehouse = site(warehouseName, "warehouse", "Zaragoza");
        long shop = site(shopName, "retailer", "Madrid");
        String sscc = Gs1Numbers.withCheckDigit("0950600" + String.format("%010d", SSCC_REFS.incrementAndGet()));
        move("pack", Map.of("site", Map.of("siteId", lot.siteId()), "parent", sscc, "epcs", codes.subList(0, 3)));
        move("ship", Map.of("from", Map.of("siteId", lot.siteId()), "to", Map.of("siteId", warehouse),
                "epcs", List.of(sscc)));
        move("receive", Map.of("site", Map.of("siteId", warehouse), "epcs", List.of(sscc)));
        move("unpack", Map.of("site", Map.of("siteId", warehouse), "parent", sscc));
        move("ship", Map.of("from", Map.of("siteId", warehouse), "to", Map.of("siteId", shop),
                "epcs", codes.subList(0, 2)));
        move("receive", Map.of("site", Map.of("siteId", shop), "epcs", codes.subList(0, 2)));
        move("sell", Map.of("site", Map.of("siteId", shop), "epcs", codes.subList(0, 1),
                "receipt", Map.of("type", "pos", "reference", "R-" + suffix)));
        return new Told(lot, codes, sscc, warehouse, warehouseName, shop, shopName);
    }

    /** One movement reported as an admin; returns the event's id. */
    static String move(String operation, Map<String, Object> fields) {
        Map<String, Object> body = new HashMap<>(fields);
        body.put("requestId", "console-test-" + System.nanoTime() + "-" + REQUESTS.incrementAndGet());
        return asAdmin().body(body).post("/api/movements/" + operation).then().statusCode(201).extract().jsonPath()
                .getString("eventId");
    }

    private static long site(String name, String role, String city) {
        return asAdmin().body(Map.of("gln", NUMBERS.gln(), "name", name, "role", role,
                "address", Map.of("city", city, "country", "ES")))
                .post("/api/sites").then().statusCode(201).extract().jsonPath().getLong("id");
    }
}
