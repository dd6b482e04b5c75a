package io.tracemark.trace.demo;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.tracemark.trace.movement.MovementInput;
import io.tracemark.trace.movement.MovementInput.Place;
import io.tracemark.trace.movement.MovementInput.Receipt;
import io.tracemark.trace.movement.MovementService;
import io.tracemark.trace.movement.MovementService.Operation;

/**
 * The road of a demo batch after the line, told as the partners would report it: the factory packs
 * the items into cases of {@value #CASE_SIZE} and the cases onto a pallet and ships it to the
 * warehouse, which keeps a quarter of the cases and sends the rest on to the distributor, who
 * splits them between the two shops; each shop shelves its items and sells half of them, one
 * receipt each. Every operation has a request id made from the lot and its place in the story,
 * so telling the same batch's story again replays the stored answers and writes nothing twice.
 */
@ApplicationScoped
public class DemoJourney {

    static final int CASE_SIZE = 6;
    /** The GS1 company prefix the demo's SSCCs are made under: GS1's 950, no real company's. */
    private static final String SSCC_PREFIX = "09506000";

    /** Where three of the items ended up, and what the story wrote. */
    record Outcome(String soldItem, String shelfItem, String warehouseItem, int sold, int written) {
    }

    private final MovementService movements;
    private final DemoSession session;

    public DemoJourney(MovementService movements, DemoSession session) {
        this.movements = movements;
        this.session = session;
    }

    Outcome travel(long batchId, String lot, List<String> items) {
        Steps steps = new Steps(lot);
        List<String> cases = new ArrayList<>();
        for (int i = 0; i < items.size() / CASE_SIZE; i++) {
            cases.add(sscc(batchId, i + 1));
            steps.pack(DemoWorld.FACTORY, cases.get(i), caseContents(items, i));
        }
        String pallet = sscc(batchId, 0);
        steps.pack(DemoWorld.FACTORY, pallet, cases);
        steps.move(DemoWorld.FACTORY, DemoWorld.WAREHOUSE, List.of(pallet));
        steps.unpack(DemoWorld.WAREHOUSE, pallet);

        int kept = Math.max(1, cases.size() / 4);
        int onward = cases.size() - kept;
        int toShopA = (onward + 1) / 2;
        steps.move(DemoWorld.WAREHOUSE, DemoWorld.DISTRIBUTOR, cases.subList(0, onward));
        steps.move(DemoWorld.DISTRIBUTOR, DemoWorld.SHOP_A, cases.subList(0, toShopA));
        steps.move(DemoWorld.DISTRIBUTOR, DemoWorld.SHOP_B, cases.subList(toShopA, onward));
        List<String> shelfA = steps.shelve(DemoWorld.SHOP_A, cases, items, 0, toShopA);
        List<String> shelfB = steps.shelve(DemoWorld.SHOP_B, cases, items, toShopA, onward);
        int sold = steps.sellHalf(DemoWorld.SHOP_A, "A", shelfA) + steps.sellHalf(DemoWorld.SHOP_B, "B", shelfB);
        return new Outcome(shelfA.get(0), shelfB.get(shelfB.size() - 1), caseContents(items, onward).get(0), sold,
                steps.written);
    }

    private static List<String> caseContents(List<String> items, int caseIndex) {
        return items.subList(caseIndex * CASE_SIZE, (caseIndex + 1) * CASE_SIZE);
    }

    /** An 18-digit SSCC: extension digit 0, the prefix, a serial reference from the batch, a check digit. */
    static String sscc(long batchId, int container) {
        return DemoWorld.withCheckDigit(SSCC_PREFIX + String.format("%09d", batchId * 1000 + container));
    }

    /** The operations of one batch's story, numbered in the order they are told. */
    private final class Steps {
        private final String lot;
        private int number;
        private int written;

        Steps(String lot) {
            this.lot = lot;
        }

        void pack(DemoWorld.Place site, String parent, List<String> children) {
            perform(Operation.PACK, new MovementInput(id("pack"), at(site), null, null, parent, List.copyOf(children),
                    null, null, null, null));
        }

        void unpack(DemoWorld.Place site, String parent) {
            perform(Operation.UNPACK, new MovementInput(id("unpack"), at(site), null, null, parent, null, null, null,
                    null, null));
        }

        /** A shipment and its receipt at the other end. */
        void move(DemoWorld.Place from, DemoWorld.Place to, List<String> containers) {
            List<String> epcs = List.copyOf(containers);
            perform(Operation.SHIP, new MovementInput(id("ship"), null, at(from), at(to), null, epcs, null, null,
                    null, null));
            perform(Operation.RECEIVE, new MovementInput(id("receive"), at(to), at(from), null, null, epcs, null,
                    null, null, null));
        }

        /** Unpacks the shop's cases (those from {@code first} to before {@code end}); their items, shelved. */
        List<String> shelve(DemoWorld.Place shop, List<String> cases, List<String> items, int first, int end) {
            List<String> shelf = new ArrayList<>();
            for (int i = first; i < end; i++) {
                unpack(shop, cases.get(i));
                shelf.addAll(caseContents(items, i));
            }
            return shelf;
        }

        /** Sells the first half of the shelf, one point-of-sale receipt per item. */
        int sellHalf(DemoWorld.Place shop, String till, List<String> shelf) {
            int sales = shelf.size() / 2;
            for (int i = 0; i < sales; i++) {
                String reference = "R-" + lot + "-" + till + "-" + String.format("%03d", i + 1);
                perform(Operation.SELL, new MovementInput(id("sell"), at(shop), null, null, null,
                        List.of(shelf.get(i)), new Receipt("pos", reference), null, null, null));
            }
            return sales;
        }

        private String id(String operation) {
            return "demo-" + lot + "-" + String.format("%03d", ++number) + "-" + operation;
        }

        private void perform(Operation operation, MovementInput input) {
            if (!session.call(() -> movements.perform(operation, input, DemoSession.IDENTITY)).replayed()) {
                written++;
            }
        }

        private static Place at(DemoWorld.Place site) {
            return new Place(null, site.gln());
        }
    }
}
