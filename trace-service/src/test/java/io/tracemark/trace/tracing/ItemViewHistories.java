package io.tracemark.trace.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tracemark.fixtures.Gs1Numbers;
import io.tracemark.trace.epcis.ViewCheck;

/**
 * Random event histories, and the property the item view must keep with each of them: for every
 * EPC, the view tells what the full trace of the ledger tells.
 *
 * <p>Each history gets fresh items (four of one lot), two cases and a pallet, and 8 to 30 events
 * drawn at random: commissioning, packing and unpacking (named children, or everything), cases onto
 * the pallet, shipping, receiving, selling (twice, sometimes), item and lot recalls (after a sale,
 * sometimes), and error declarations of earlier events. Event times are drawn apart from the order
 * of capture, so most histories arrive late in places; events are captured one to three per
 * document. A failure names the seed and the history, which replay it exactly.
 */
final class ItemViewHistories {

    private static final Gs1Numbers NUMBERS = new Gs1Numbers();
    private static final OffsetDateTime START = OffsetDateTime.of(2026, 10, 1, 8, 0, 0, 0, ZoneOffset.UTC);

    private final Story.Site factory;
    private final Story.Site shop;

    ItemViewHistories(Story.Site factory, Story.Site shop) {
        this.factory = factory;
        this.shop = shop;
    }

    /** Captures the history of the seed and checks the property on every EPC and lot it names. */
    void check(long seed, ItemViewCheck check) {
        Random random = new Random(seed);
        String gtin = "0" + NUMBERS.gtin13();
        String lot = "L" + Long.toString(seed & 0xffff, 36);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            items.add("https://id.gs1.org/01/" + gtin + "/21/S" + seed + "x" + i);
        }
        List<String> cases = List.of(Story.sscc(), Story.sscc());
        String pallet = Story.sscc();
        String lotClass = "https://id.gs1.org/01/" + gtin + "/10/" + lot;
        List<ObjectNode> history = new ArrayList<>();
        int count = 8 + random.nextInt(23);
        for (int i = 0; i < count; i++) {
            history.add(next(random, history, items, cases, pallet, gtin, lot));
        }
        for (int from = 0; from < history.size();) {
            int size = 1 + random.nextInt(3);
            List<ObjectNode> document = history.subList(from, Math.min(history.size(), from + size));
            Story.capture(document.stream().map(ObjectNode::deepCopy).toArray(ObjectNode[]::new));
            from += size;
        }
        List<String> epcs = new ArrayList<>(items);
        epcs.addAll(cases);
        epcs.add(pallet);
        ViewCheck.Comparison comparison = check.compare(epcs, List.of(lotClass));
        assertEquals(0, comparison.mismatched(), () -> "seed " + seed + ": " + comparison.first() + "\nhistory:\n"
                + String.join("\n", history.stream().map(Story::text).toList()));
    }

    private ObjectNode next(Random random, List<ObjectNode> history, List<String> items, List<String> cases,
            String pallet, String gtin, String lot) {
        String time = START.plusMinutes(random.nextInt(24 * 60)).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        String item = items.get(random.nextInt(items.size()));
        String container = cases.get(random.nextInt(cases.size()));
        int kind = random.nextInt(history.isEmpty() ? 11 : 12);
        return switch (kind) {
            case 0 -> Story.commissioning(time, factory, some(random, items));
            case 1, 2 -> Story.packing(time, factory, container, some(random, items));
            case 3 -> random.nextBoolean() ? Story.unpacking(time, shop, container, some(random, items))
                    : Story.unpacking(time, shop, container);
            case 4 -> Story.packing(time, factory, pallet, some(random, cases));
            case 5 -> random.nextBoolean() ? Story.unpacking(time, shop, pallet, container)
                    : Story.unpacking(time, shop, pallet);
            case 6 -> Story.shipping(time, factory, shop, random.nextBoolean() ? pallet : container);
            case 7 -> Story.receiving(time, factory, shop, random.nextBoolean() ? pallet : container);
            case 8 -> Story.selling(time, shop, item);
            case 9 -> Story.recalling(time, factory, some(random, items));
            case 10 -> lotRecall(time, gtin, lot);
            default -> declared(history.get(random.nextInt(history.size())), time);
        };
    }

    private static String[] some(Random random, List<String> epcs) {
        List<String> chosen = new ArrayList<>();
        for (String epc : epcs) {
            if (random.nextInt(3) == 0) {
                chosen.add(epc);
            }
        }
        if (chosen.isEmpty()) {
            chosen.add(epcs.get(random.nextInt(epcs.size())));
        }
        return chosen.toArray(String[]::new);
    }

    private ObjectNode lotRecall(String time, String gtin, String lot) {
        ObjectNode event = Story.event("ObjectEvent", time, "OBSERVE", "holding", "recalled", factory);
        ArrayNode quantities = event.putArray("quantityList");
        quantities.addObject().put("epcClass", "https://id.gs1.org/01/" + gtin + "/10/" + lot).put("quantity", 4);
        return event;
    }

    /** The same event, declared wrong: same content (so the same event hash), its own eventID. */
    private static ObjectNode declared(ObjectNode event, String time) {
        ObjectNode declaration = event.deepCopy();
        declaration.put("eventID", "urn:uuid:" + UUID.randomUUID());
        declaration.putObject("errorDeclaration").put("declarationTime", time)
                .put("reason", "incorrect_data");
        return declaration;
    }
}
