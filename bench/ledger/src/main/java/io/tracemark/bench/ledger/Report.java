package io.tracemark.bench.ledger;

import static io.tracemark.bench.support.Text.num;
import static io.tracemark.bench.support.Text.ratio;
import static io.tracemark.bench.support.Text.spread;
import static io.tracemark.bench.support.Text.whole;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.tracemark.bench.ledger.Figures.CaptureRound;
import io.tracemark.bench.ledger.Figures.Checkpoint;
import io.tracemark.bench.ledger.Figures.RecallRound;
import io.tracemark.bench.ledger.Figures.TraceSample;
import io.tracemark.bench.support.Stats;

/** The results file: method, machine, the figures of every checkpoint, and how they moved. */
final class Report {

    private static final double AIM_EPCS_PER_SECOND = 20_000;
    private static final double AIM_SINGLE_EPC_RATIO = 0.6;
    private static final double AIM_TRACE_P99_MS = 20;
    /** Issue 12: a recall streamed within 1.3 times one raw SQL listing of the same items. */
    private static final double AIM_RECALL_TO_RAW = 1.3;

    private final String invocation;
    private final Path machine;
    private final int batchItems;
    private final int clients;
    private final String started = now();
    private final List<Checkpoint> checkpoints = new ArrayList<>();

    Report(String invocation, Path machine, int batchItems, int clients) {
        this.invocation = invocation;
        this.machine = machine;
        this.batchItems = batchItems;
        this.clients = clients;
    }

    void add(Checkpoint checkpoint) {
        checkpoints.add(checkpoint);
    }

    /** Written after every checkpoint, so that a run stopped by its time limit still leaves its figures. */
    void write(Path out) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Tracemark ledger benchmark: results\n\n");
        md.append("Produced by `").append(invocation).append("` (run from the repository root), started ").append(started)
                .append(", written ").append(now()).append(". Every figure below comes from that one run.\n\n");
        md.append("## Machine\n\n");
        md.append(machine == null ? "(not described)\n" : Files.readString(machine)).append('\n');
        md.append(method());
        for (Checkpoint checkpoint : checkpoints) {
            md.append(section(checkpoint));
        }
        if (checkpoints.size() > 1) {
            md.append(movement(checkpoints.get(0), checkpoints.get(checkpoints.size() - 1)));
        }
        md.append(reading(checkpoints.get(checkpoints.size() - 1)));
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        Files.writeString(tmp, md);
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private String method() {
        return """
                ## What was measured

                The ledger is filled through the service's own `POST /epcis/capture`, batch by batch, with the
                story of every item of a %s-item batch told the way a plant and its partners report it:
                commissioned (with lot and expiry as ILMD) and inspected at the factory, one ObjectEvent per
                item; put on pallets of 10,000 (one AggregationEvent of 10,000 children per pallet); pallets
                shipped to a warehouse and received; every item stored there; pallets shipped to a distributor,
                received and unpacked; items packed into cases of 20 (AggregationEvent); cases shipped to two
                shops in shipments of 50 and received there; cases unpacked; every item stocked; nine in ten
                sold with a point-of-sale receipt. That is 500,260 events and 1,200,330 EPC observations per
                100,000 items; documents carry at most 1,000 events, the service's announced capture limit.
                While loading, %d clients capture a step's documents at once (steps follow each other); the
                load figures are that sustained throughput. After each batch PostgreSQL's statistics are
                refreshed (`analyze`, as autovacuum would; `vacuum analyze` where the server runs without
                autovacuum, as this machine's does) and at a checkpoint then:

                - **capture**, one client alone, interleaved with its baseline: a document of 1,000
                  ObjectEvents of one EPC each (a cycle count at the warehouse), a document of one
                  AggregationEvent with 10,000 children (a pallet's contents observed), both dated after the
                  story's last event as a count is reported when it is made, and the same cycle count reported
                  late (dated on the day the items were stored, older than what they went through since: the
                  item view rebuilds each item's row from the ledger), each timed on the client to the 202 of
                  a capture that stored everything. The **raw baseline** reads back the
                  exact rows that capture wrote (`event` and `event_epc`) and inserts them into tables created
                  `like` the ledger's `including all` (same columns, keys and indexes) plus the foreign key from
                  EPC rows to events, as JDBC batches of 500 with `reWriteBatchedInserts=true`, in one
                  transaction, timed to the commit. A `CHECKPOINT` precedes each timed write. The raw tables
                  start empty, while the ledger's indexes hold everything loaded so far.
                - **trace**: random items of every loaded batch, `GET /api/trace/{serial}` one at a time
                  (the whole answer: origin, journey with the pallet's and case's events, custodian, sale,
                  recall), after a tenth as many warm-up requests. The **raw baseline**, right after each
                  request, runs the look-ups such a trace needs with nothing around them: the events naming
                  the item, its pallet and its case, and those counting its lot, every column read, over one
                  JDBC connection.
                - **recall**: the first batch, recalled at the first checkpoint (`POST /api/movements/recall`),
                  streamed to the last byte as JSON and as CSV (`GET /api/trace/batches/{id}/items`: every item
                  with its last place and state); the **raw baseline** is one SQL statement listing every item
                  of the batch with its latest event (a lateral join through the same index), read through a
                  cursor.

                All traffic stays on 127.0.0.1; the service, PostgreSQL and the client share the machine's
                cores, so ratios measured in the same rounds are the figures to compare, not single timings.

                """.formatted(whole(batchItems), clients);
    }

    private String section(Checkpoint c) {
        StringBuilder md = new StringBuilder();
        md.append("## With ").append(whole(c.items())).append(" items\n\n");
        md.append("The ledger held ").append(whole(c.events())).append(" events naming ").append(whole(c.epcRows()))
                .append(" EPCs (`event_epc` rows) in a ").append(c.databaseSize()).append(" database. The machine's load averages")
                .append(" (1 / 5 / 15 minutes) were ").append(c.load().loadAverages()).append(" when the batch was loaded, and ")
                .append(c.loadAverages()).append(" the measurements below.\n\n");
        Figures.Load load = c.load();
        md.append("### Loading the last batch (").append(clients).append(" clients)\n\n");
        md.append("| documents | events | EPCs | seconds | events/s | EPCs/s |\n| --- | --- | --- | --- | --- | --- |\n");
        md.append("| ").append(load.captures().size()).append(" | ").append(whole(load.events())).append(" | ")
                .append(whole(load.epcs())).append(" | ").append(num(load.seconds(), 1)).append(" | ")
                .append(whole(load.events() / load.seconds())).append(" | ").append(whole(load.epcs() / load.seconds()))
                .append(" |\n\n");
        md.append("Per document, on its own clock (median, min to max): ObjectEvent documents ")
                .append(spread(load.eventRates(Story.Kind.OBJECT_EVENTS), 0)).append(" events/s; 10,000-child aggregations ")
                .append(spread(load.epcRates(Story.Kind.LARGE_AGGREGATION), 0)).append(" EPCs/s.\n\n");

        md.append("### Capture, one client, against raw inserts of the same rows\n\n");
        md.append("| document | rounds | API s | API events/s | API EPCs/s | raw s | raw EPCs/s | API/raw |\n")
                .append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Story.Kind kind : List.of(Story.Kind.OBJECT_EVENTS, Story.Kind.LARGE_AGGREGATION,
                Story.Kind.LATE_OBJECT_EVENTS)) {
            List<CaptureRound> rounds = c.rounds().stream().filter(r -> r.api().kind() == kind).toList();
            if (rounds.isEmpty()) {
                continue;
            }
            md.append("| ").append(switch (kind) {
                case OBJECT_EVENTS -> "1,000 ObjectEvents";
                case LARGE_AGGREGATION -> "1 AggregationEvent, 10,000 children";
                default -> "1,000 ObjectEvents, late";
            })
                    .append(" | ").append(rounds.size())
                    .append(" | ").append(spread(map(rounds, r -> r.api().seconds()), 3))
                    .append(" | ").append(whole(Stats.median(map(rounds, r -> r.api().events() / r.api().seconds()))))
                    .append(" | ").append(whole(Stats.median(map(rounds, r -> r.api().epcs() / r.api().seconds()))))
                    .append(" | ").append(spread(map(rounds, CaptureRound::rawSeconds), 3))
                    .append(" | ").append(whole(Stats.median(map(rounds, r -> r.epcRows() / r.rawSeconds()))))
                    .append(" | ").append(ratio(Stats.median(map(rounds, r -> r.rawSeconds() / r.api().seconds()))))
                    .append(" |\n");
        }
        md.append("\nAPI/raw is the median of the per-round ratios of rates (raw time / API time): 1.0 would be the\n")
                .append("service storing events as fast as PostgreSQL inserts their rows.\n\n");

        md.append("### Trace of one item\n\n");
        long[] api = c.traces().stream().mapToLong(TraceSample::apiNanos).toArray();
        long[] raw = c.traces().stream().mapToLong(TraceSample::rawNanos).toArray();
        md.append("| samples | API p50 ms | API p99 ms | raw p50 ms | raw p99 ms | raw/API at p50 |\n")
                .append("| --- | --- | --- | --- | --- | --- |\n");
        md.append("| ").append(api.length).append(" | ").append(ms(Stats.percentile(api, 50))).append(" | ")
                .append(ms(Stats.percentile(api, 99))).append(" | ").append(ms(Stats.percentile(raw, 50))).append(" | ")
                .append(ms(Stats.percentile(raw, 99))).append(" | ")
                .append(ratio(Stats.percentile(raw, 50) / Stats.percentile(api, 50))).append(" |\n\n");

        md.append("### Recall: every item of a ").append(whole(batchItems)).append("-item batch, streamed\n\n");
        md.append("| run | JSON items | JSON s | JSON MB | CSV items | CSV s | raw items | raw s |\n")
                .append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        int run = 1;
        for (RecallRound r : c.recalls()) {
            md.append("| ").append(run++).append(" | ").append(whole(r.jsonItems())).append(" | ").append(num(r.jsonNanos() / 1e9, 2))
                    .append(" | ").append(num(r.jsonBytes() / 1e6, 1)).append(" | ").append(whole(r.csvItems())).append(" | ")
                    .append(num(r.csvNanos() / 1e9, 2)).append(" | ").append(whole(r.rawItems())).append(" | ")
                    .append(num(r.rawNanos() / 1e9, 2)).append(" |\n");
        }
        md.append("| **median** | | **").append(num(recallJson(c), 2)).append("** | | | **").append(num(recallCsv(c), 2))
                .append("** | | **").append(num(Stats.median(map(c.recalls(), r -> r.rawNanos() / 1e9)), 2)).append("** |\n\n");
        return md.toString();
    }

    private String movement(Checkpoint from, Checkpoint to) {
        StringBuilder md = new StringBuilder("## From " + whole(from.items()) + " to " + whole(to.items()) + " items\n\n");
        md.append("| figure | ").append(whole(from.items())).append(" items | ").append(whole(to.items()))
                .append(" items | change |\n| --- | --- | --- | --- |\n");
        row(md, "events in the ledger", from.events(), to.events(), 0);
        row(md, "load: EPCs/s (" + clients + " clients)", from.load().epcs() / from.load().seconds(),
                to.load().epcs() / to.load().seconds(), 0);
        row(md, "load: events/s (" + clients + " clients)", from.load().events() / from.load().seconds(),
                to.load().events() / to.load().seconds(), 0);
        row(md, "capture, 1,000 ObjectEvents: EPCs/s", captureRate(from, Story.Kind.OBJECT_EVENTS),
                captureRate(to, Story.Kind.OBJECT_EVENTS), 0);
        row(md, "capture, 10,000-child aggregation: EPCs/s", captureRate(from, Story.Kind.LARGE_AGGREGATION),
                captureRate(to, Story.Kind.LARGE_AGGREGATION), 0);
        row(md, "capture, 1,000 late ObjectEvents: EPCs/s", captureRate(from, Story.Kind.LATE_OBJECT_EVENTS),
                captureRate(to, Story.Kind.LATE_OBJECT_EVENTS), 0);
        row(md, "trace p50 ms", tracePercentile(from, 50), tracePercentile(to, 50), 2);
        row(md, "trace p99 ms", tracePercentile(from, 99), tracePercentile(to, 99), 2);
        row(md, "recall JSON s", recallJson(from), recallJson(to), 2);
        row(md, "recall CSV s", recallCsv(from), recallCsv(to), 2);
        return md.append('\n').toString();
    }

    private static void row(StringBuilder md, String figure, double from, double to, int decimals) {
        md.append("| ").append(figure).append(" | ").append(num(from, decimals)).append(" | ").append(num(to, decimals))
                .append(" | ×").append(num(to / from, 2)).append(" |\n");
    }

    private String reading(Checkpoint last) {
        double load = last.load().epcs() / last.load().seconds();
        double single = captureRate(last, Story.Kind.OBJECT_EVENTS);
        double aggregation = captureRate(last, Story.Kind.LARGE_AGGREGATION);
        double singleRatio = captureRatio(last, Story.Kind.OBJECT_EVENTS);
        double p99 = tracePercentile(last, 99);
        double recall = recallJson(last);
        return "## Reading against the aims\n\n"
                + "With " + whole(last.items()) + " items and " + whole(last.events()) + " events in the ledger: capture sustained "
                + whole(load) + " EPC observations/s while loading (" + clients + " clients, all document kinds of the story), "
                + verdict(load >= AIM_EPCS_PER_SECOND) + " the aim of 20,000; one client alone captured " + whole(single)
                + " EPCs/s in documents of 1,000 single-EPC ObjectEvents, " + ratio(singleRatio) + " of raw inserts of the"
                + " same rows, " + verdict(singleRatio >= AIM_SINGLE_EPC_RATIO) + " the aim of 0.6, and " + whole(aggregation)
                + " EPCs/s in 10,000-child aggregations. A single item's trace took " + num(tracePercentile(last, 50), 2)
                + " ms at p50 and " + num(p99, 2) + " ms at p99, " + verdict(p99 < AIM_TRACE_P99_MS) + " the aim of p99 under 20 ms. "
                + "Streaming the recalled " + whole(batchItems) + "-item batch took " + num(recall, 2) + " s as JSON and "
                + num(recallCsv(last), 2) + " s as CSV (medians), " + num(recall / recallRaw(last), 2) + " and "
                + num(recallCsv(last) / recallRaw(last), 2) + " times the raw listing's " + num(recallRaw(last), 2) + " s, "
                + verdict(Math.max(recall, recallCsv(last)) <= AIM_RECALL_TO_RAW * recallRaw(last))
                + " the aim of at most 1.3 times.\n";
    }

    private static String verdict(boolean met) {
        return met ? "which meets" : "which misses";
    }

    private static double captureRate(Checkpoint c, Story.Kind kind) {
        return Stats.median(map(c.rounds().stream().filter(r -> r.api().kind() == kind).toList(),
                r -> r.api().epcs() / r.api().seconds()));
    }

    private static double captureRatio(Checkpoint c, Story.Kind kind) {
        return Stats.median(map(c.rounds().stream().filter(r -> r.api().kind() == kind).toList(),
                r -> r.rawSeconds() / r.api().seconds()));
    }

    private static double tracePercentile(Checkpoint c, double p) {
        return Stats.percentile(c.traces().stream().mapToLong(TraceSample::apiNanos).toArray(), p) / 1e6;
    }

    private static double recallJson(Checkpoint c) {
        return Stats.median(map(c.recalls(), r -> r.jsonNanos() / 1e9));
    }

    private static double recallRaw(Checkpoint c) {
        return Stats.median(map(c.recalls(), r -> r.rawNanos() / 1e9));
    }

    private static double recallCsv(Checkpoint c) {
        return Stats.median(map(c.recalls(), r -> r.csvNanos() / 1e9));
    }

    /** Nanoseconds as milliseconds for reading. */
    private static String ms(double nanos) {
        return num(nanos / 1e6, 2);
    }

    private static <T> List<Double> map(List<T> values, Function<T, Double> f) {
        return values.stream().map(f).toList();
    }

    private static String now() {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").format(ZonedDateTime.now(ZoneOffset.UTC));
    }
}
