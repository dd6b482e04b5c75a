package io.tracemark.bench.ledger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.tracemark.fixtures.Gs1Numbers;

/**
 * The life of one batch as EPCIS documents, the way a plant and its partners would report it:
 * every item commissioned and inspected at the factory, put on pallets of 10,000, shipped to a
 * warehouse and stored there, shipped on to a distributor that breaks the pallets into cases of
 * 20 for two shops, stocked on the shops' shelves, and nine in ten sold. About five events per item:
 * 500,260 for 100,000 items.
 */
final class Story {

    static final String ID = "https://id.gs1.org";
    static final int EVENTS_PER_DOCUMENT = 1_000;
    static final int PALLET_ITEMS = 10_000;
    static final int CASE_ITEMS = 20;
    static final int CASES_PER_SHIPMENT = 50;

    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

    /**
     * What a document is, for the figures: per-item ObjectEvents, 10,000-child aggregations, or the
     * rest; and per-item ObjectEvents older than what the items went through since (late events).
     */
    enum Kind {
        OBJECT_EVENTS, LARGE_AGGREGATION, CONTAINER_EVENTS, LATE_OBJECT_EVENTS
    }

    record Document(Kind kind, byte[] json, int events, int epcs) {
    }

    record Step(String name, List<Document> documents) {
    }

    /** GLN-13 of each site. */
    record Sites(String factory, String warehouse, String distributor, String shopA, String shopB) {
    }

    /** A batch whose codes were allocated; serials in counter order. */
    record Batch(long id, int number, String gtin14, String lot, LocalDate productionDate, List<String> serials) {

        String item(int i) {
            return ID + "/01/" + gtin14 + "/21/" + serials.get(i);
        }

        int pallets() {
            return (serials.size() + PALLET_ITEMS - 1) / PALLET_ITEMS;
        }

        int cases() {
            return (serials.size() + CASE_ITEMS - 1) / CASE_ITEMS;
        }

        String pallet(int p) {
            return sscc(number * 100_000L + p);
        }

        String caseOf(int c) {
            return sscc(number * 100_000L + 1_000 + c);
        }

        static String sscc(long reference) {
            return ID + "/00/" + Gs1Numbers.withCheckDigit("0950611" + String.format("%010d", reference));
        }

        Instant at(int day, int hour) {
            return productionDate.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(day * 86_400L + hour * 3_600L);
        }

        boolean sold(int i) {
            return i % 10 != 9;
        }

        String shopOf(Sites sites, int caseNumber) {
            return caseNumber % 2 == 0 ? sites.shopA() : sites.shopB();
        }
    }

    private final Sites sites;
    private final Batch batch;

    Story(Sites sites, Batch batch) {
        this.sites = sites;
        this.batch = batch;
    }

    /** The steps in the order they happen; each step's documents may be captured in any order. */
    List<Step> steps() {
        int n = batch.serials().size();
        int pallets = batch.pallets();
        int cases = batch.cases();
        List<Step> steps = new ArrayList<>();
        steps.add(perItem("commissioning", n, i -> new Item(i, batch.at(0, 6).plusMillis(i * 50L), "ADD", "commissioning",
                "active", sites.factory(), true)));
        steps.add(perItem("inspecting", n, i -> new Item(i, batch.at(0, 8).plusMillis(i * 50L), "OBSERVE", "inspecting",
                "active", sites.factory(), false)));
        List<Document> packing = new ArrayList<>();
        for (int p = 0; p < pallets; p++) {
            packing.add(palletContents(p, "ADD", "packing", "in_progress", sites.factory(), batch.at(0, 10).plusSeconds(p * 60L)));
        }
        steps.add(new Step("packing pallets", packing));
        steps.add(containers("shipping pallets to the warehouse", pallets, batch::pallet, 1, batch.at(0, 11),
                "shipping", "in_transit", sites.factory(), sites.factory(), sites.warehouse()));
        steps.add(containers("receiving pallets at the warehouse", pallets, batch::pallet, 1, batch.at(1, 2),
                "receiving", "in_progress", sites.warehouse(), null, null));
        steps.add(perItem("storing", n, i -> new Item(i, batch.at(1, 3).plusMillis(i * 10L), "OBSERVE", "storing",
                "sellable_not_accessible", sites.warehouse(), false)));
        steps.add(containers("shipping pallets to the distributor", pallets, batch::pallet, 1, batch.at(2, 8),
                "shipping", "in_transit", sites.warehouse(), sites.warehouse(), sites.distributor()));
        steps.add(containers("receiving pallets at the distributor", pallets, batch::pallet, 1, batch.at(2, 14),
                "receiving", "in_progress", sites.distributor(), null, null));
        steps.add(new Step("unpacking pallets", chunked(pallets, p -> gen -> aggregation(gen, batch.at(2, 15).plusSeconds(p * 60L),
                "DELETE", "unpacking", "in_progress", sites.distributor(), batch.pallet(p), List.of()), p -> 1,
                Kind.CONTAINER_EVENTS)));
        steps.add(new Step("packing cases", chunked(cases, c -> gen -> aggregation(gen, batch.at(2, 16).plusMillis(c * 500L),
                "ADD", "packing", "in_progress", sites.distributor(), batch.caseOf(c), caseItems(c)), c -> 1 + caseItems(c).size(),
                Kind.CONTAINER_EVENTS)));
        for (String shop : List.of(sites.shopA(), sites.shopB())) {
            List<Integer> toShop = new ArrayList<>();
            for (int c = 0; c < cases; c++) {
                if (batch.shopOf(sites, c).equals(shop)) {
                    toShop.add(c);
                }
            }
            steps.add(shipments("shipping cases to shop " + shop, toShop, batch.at(3, 8), "shipping", "in_transit",
                    sites.distributor(), shop, true));
            steps.add(shipments("receiving cases at shop " + shop, toShop, batch.at(3, 16), "receiving", "in_progress",
                    shop, shop, false));
        }
        steps.add(new Step("unpacking cases", chunked(cases, c -> gen -> aggregation(gen, batch.at(4, 8).plusMillis(c * 500L),
                "DELETE", "unpacking", "in_progress", batch.shopOf(sites, c), batch.caseOf(c), List.of()), c -> 1,
                Kind.CONTAINER_EVENTS)));
        steps.add(perItem("stocking", n, i -> new Item(i, batch.at(4, 10).plusMillis(i * 50L), "OBSERVE", "stocking",
                "sellable_accessible", batch.shopOf(sites, i / CASE_ITEMS), false)));
        List<Integer> sold = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (batch.sold(i)) {
                sold.add(i);
            }
        }
        steps.add(new Step("selling", chunked(sold.size(), k -> gen -> sale(gen, sold.get(k)), k -> 1, Kind.OBJECT_EVENTS)));
        return steps;
    }

    /**
     * A cycle count at the warehouse: items {@code from} .. {@code from + count - 1}, one ObjectEvent
     * each, a day after the story's last sale, as a count is reported when it is made.
     */
    Document cycleCount(int from, int count, int round) {
        return perItem("cycle count", count, i -> new Item(from + i, afterTheStory().plusSeconds(round * 60L).plusMillis(i),
                "OBSERVE", "cycle_counting", "sellable_not_accessible", sites.warehouse(), false)).documents().get(0);
    }

    /**
     * The same cycle count reported late: dated on the day the items were stored at the warehouse,
     * older than everything they went through since, so the item view rebuilds their rows.
     */
    Document lateCycleCount(int from, int count, int round) {
        Document late = perItem("late cycle count", count, i -> new Item(from + i, batch.at(1, 5).plusSeconds(round)
                .plusMillis(i), "OBSERVE", "cycle_counting", "sellable_not_accessible", sites.warehouse(), false))
                .documents().get(0);
        return new Document(Kind.LATE_OBJECT_EVENTS, late.json(), late.events(), late.epcs());
    }

    /** A cycle count of one pallet's 10,000 items at the warehouse, as one AggregationEvent OBSERVE, after the story. */
    Document palletCount(int pallet, int round) {
        return palletContents(pallet, "OBSERVE", "cycle_counting", "sellable_not_accessible", sites.warehouse(),
                afterTheStory().plusSeconds(round * 60L + 30));
    }

    /** A day after the last sale of the batch. */
    private Instant afterTheStory() {
        return batch.at(6, 9).plusSeconds(batch.serials().size() * 20L);
    }

    private record Item(int index, Instant time, String action, String bizStep, String disposition, String gln,
            boolean ilmd) {
    }

    private Step perItem(String name, int count, IntFunction<Item> item) {
        return new Step(name, chunked(count, i -> gen -> itemEvent(gen, item.apply(i)), i -> 1, Kind.OBJECT_EVENTS));
    }

    private Document palletContents(int p, String action, String bizStep, String disposition, String gln, Instant time) {
        List<String> children = new ArrayList<>();
        for (int i = p * PALLET_ITEMS; i < Math.min(batch.serials().size(), (p + 1) * PALLET_ITEMS); i++) {
            children.add(batch.item(i));
        }
        return chunked(1, x -> gen -> aggregation(gen, time, action, bizStep, disposition, gln, batch.pallet(p), children),
                x -> 1 + children.size(), Kind.LARGE_AGGREGATION).get(0);
    }

    private List<String> caseItems(int c) {
        List<String> items = new ArrayList<>();
        for (int i = c * CASE_ITEMS; i < Math.min(batch.serials().size(), (c + 1) * CASE_ITEMS); i++) {
            items.add(batch.item(i));
        }
        return items;
    }

    /** One ObjectEvent per container (one document), shipping or receiving between two sites. */
    private Step containers(String name, int count, IntFunction<String> container, int perEvent, Instant time,
            String bizStep, String disposition, String gln, String from, String to) {
        return new Step(name, chunked(count, k -> gen -> objectEvent(gen, time.plusSeconds(k), "OBSERVE", bizStep,
                disposition, gln, List.of(container.apply(k)), from, to, null), k -> perEvent, Kind.CONTAINER_EVENTS));
    }

    /** Cases travelling to a shop, {@link #CASES_PER_SHIPMENT} to a shipping or receiving event. */
    private Step shipments(String name, List<Integer> cases, Instant time, String bizStep, String disposition, String gln,
            String shop, boolean fromDistributor) {
        int events = (cases.size() + CASES_PER_SHIPMENT - 1) / CASES_PER_SHIPMENT;
        return new Step(name, chunked(events, k -> gen -> {
            List<String> sscc = new ArrayList<>();
            for (int c : cases.subList(k * CASES_PER_SHIPMENT, Math.min(cases.size(), (k + 1) * CASES_PER_SHIPMENT))) {
                sscc.add(batch.caseOf(c));
            }
            objectEvent(gen, time.plusSeconds(k), "OBSERVE", bizStep, disposition, gln, sscc,
                    fromDistributor ? sites.distributor() : null, fromDistributor ? shop : null, null);
        }, k -> Math.min(CASES_PER_SHIPMENT, cases.size() - k * CASES_PER_SHIPMENT), Kind.CONTAINER_EVENTS));
    }

    private interface EventWriter {
        void write(JsonGenerator gen) throws IOException;
    }

    /** Events 0 .. count-1 in documents of at most {@link #EVENTS_PER_DOCUMENT}. */
    private List<Document> chunked(int count, IntFunction<EventWriter> event, IntFunction<Integer> epcs, Kind kind) {
        List<Document> documents = new ArrayList<>();
        for (int from = 0; from < count; from += EVENTS_PER_DOCUMENT) {
            int to = Math.min(count, from + EVENTS_PER_DOCUMENT);
            ByteArrayOutputStream out = new ByteArrayOutputStream(to - from << 9);
            int epcCount = 0;
            try (JsonGenerator gen = JSON.createGenerator(out)) {
                gen.writeStartObject();
                gen.writeArrayFieldStart("@context");
                gen.writeString("https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld");
                gen.writeEndArray();
                gen.writeStringField("type", "EPCISDocument");
                gen.writeStringField("schemaVersion", "2.0");
                gen.writeStringField("creationDate", TIME.format(Instant.now()));
                gen.writeObjectFieldStart("epcisBody");
                gen.writeArrayFieldStart("eventList");
                for (int i = from; i < to; i++) {
                    event.apply(i).write(gen);
                    epcCount += epcs.apply(i);
                }
                gen.writeEndArray();
                gen.writeEndObject();
                gen.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            documents.add(new Document(kind, out.toByteArray(), to - from, epcCount));
        }
        return documents;
    }

    private void itemEvent(JsonGenerator gen, Item item) throws IOException {
        objectEvent(gen, item.time(), item.action(), item.bizStep(), item.disposition(), item.gln(),
                List.of(batch.item(item.index())), null, null, item.ilmd() ? g -> {
                    g.writeObjectFieldStart("ilmd");
                    g.writeStringField("cbvmda:lotNumber", batch.lot());
                    g.writeStringField("cbvmda:itemExpirationDate", batch.productionDate().plusYears(2).toString());
                    g.writeEndObject();
                } : null);
    }

    private void sale(JsonGenerator gen, int i) throws IOException {
        String shop = batch.shopOf(sites, i / CASE_ITEMS);
        objectEvent(gen, batch.at(5, 9).plusSeconds(i * 20L), "OBSERVE", "retail_selling", "retail_sold", shop,
                List.of(batch.item(i)), null, null, g -> {
                    g.writeArrayFieldStart("bizTransactionList");
                    g.writeStartObject();
                    g.writeStringField("type", "urn:tracemark:btt:pos");
                    g.writeStringField("bizTransaction", "urn:tracemark:bt:" + shop + ":pos:R-" + batch.number() + "-" + i);
                    g.writeEndObject();
                    g.writeEndArray();
                });
    }

    private static void objectEvent(JsonGenerator gen, Instant time, String action, String bizStep, String disposition,
            String gln, List<String> epcs, String from, String to, EventWriter extra) throws IOException {
        gen.writeStartObject();
        gen.writeStringField("type", "ObjectEvent");
        common(gen, time, action, bizStep, disposition, gln);
        gen.writeArrayFieldStart("epcList");
        for (String epc : epcs) {
            gen.writeString(epc);
        }
        gen.writeEndArray();
        if (from != null) {
            party(gen, "sourceList", "source", from);
            party(gen, "destinationList", "destination", to);
        }
        if (extra != null) {
            extra.write(gen);
        }
        gen.writeEndObject();
    }

    private static void aggregation(JsonGenerator gen, Instant time, String action, String bizStep, String disposition,
            String gln, String parent, List<String> children) throws IOException {
        gen.writeStartObject();
        gen.writeStringField("type", "AggregationEvent");
        common(gen, time, action, bizStep, disposition, gln);
        gen.writeStringField("parentID", parent);
        if (!children.isEmpty()) {
            gen.writeArrayFieldStart("childEPCs");
            for (String child : children) {
                gen.writeString(child);
            }
            gen.writeEndArray();
        }
        gen.writeEndObject();
    }

    private static void common(JsonGenerator gen, Instant time, String action, String bizStep, String disposition,
            String gln) throws IOException {
        gen.writeStringField("eventTime", TIME.format(time));
        gen.writeStringField("eventTimeZoneOffset", "+01:00");
        gen.writeStringField("action", action);
        gen.writeStringField("bizStep", bizStep);
        gen.writeStringField("disposition", disposition);
        gen.writeObjectFieldStart("readPoint");
        gen.writeStringField("id", ID + "/414/" + gln);
        gen.writeEndObject();
        gen.writeObjectFieldStart("bizLocation");
        gen.writeStringField("id", ID + "/414/" + gln);
        gen.writeEndObject();
    }

    private static void party(JsonGenerator gen, String list, String field, String gln) throws IOException {
        gen.writeArrayFieldStart(list);
        for (String type : List.of("owning_party", "location")) {
            gen.writeStartObject();
            gen.writeStringField("type", type);
            gen.writeStringField(field, ID + "/414/" + gln);
            gen.writeEndObject();
        }
        gen.writeEndArray();
    }
}
