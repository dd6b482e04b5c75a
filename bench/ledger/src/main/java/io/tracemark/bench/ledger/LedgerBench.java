package io.tracemark.bench.ledger;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.tracemark.bench.ledger.Figures.CaptureRound;
import io.tracemark.bench.ledger.Figures.Checkpoint;
import io.tracemark.bench.ledger.Figures.Load;
import io.tracemark.bench.ledger.Figures.RecallRound;
import io.tracemark.bench.ledger.Figures.TraceSample;
import io.tracemark.fixtures.Gs1Numbers;

/**
 * Loads a ledger batch by batch through the service's EPCIS capture, and at each checkpoint
 * measures capture, single-item trace and batch recall streaming, each against a raw PostgreSQL
 * baseline of the same rows or look-ups taken in the same rounds.
 */
@Command(name = "ledger-bench", mixinStandardHelpOptions = true,
        description = "EPCIS capture, trace and recall against a running Tracemark service on PostgreSQL.")
public final class LedgerBench implements Callable<Integer> {

    @Option(names = "--api", required = true, description = "the service, e.g. http://127.0.0.1:18080")
    URI api;

    @Option(names = "--user", defaultValue = "admin")
    String user;

    @Option(names = "--password-env", defaultValue = "TRACEMARK_BENCH_PASSWORD",
            description = "environment variable holding the user's password")
    String passwordVariable;

    @Option(names = "--jdbc", required = true, description = "the service's database, jdbc:postgresql://...")
    String jdbc;

    @Option(names = "--db-user", defaultValue = "postgres")
    String dbUser;

    @Option(names = "--batch-items", defaultValue = "100000", description = "items per batch (default ${DEFAULT-VALUE})")
    int batchItems;

    @Option(names = "--batches", defaultValue = "10", description = "batches loaded in all (default ${DEFAULT-VALUE})")
    int batches;

    @Option(names = "--checkpoints", split = ",", defaultValue = "1,10",
            description = "after which batches to measure (default ${DEFAULT-VALUE}; 0: load only)")
    List<Integer> checkpoints;

    @Option(names = "--clients", defaultValue = "2", description = "concurrent capture clients while loading")
    int clients;

    @Option(names = "--capture-rounds", defaultValue = "10", description = "API/raw rounds per document kind")
    int captureRounds;

    @Option(names = "--trace-samples", defaultValue = "1000", description = "items traced per checkpoint")
    int traceSamples;

    @Option(names = "--recall-runs", defaultValue = "3", description = "streams of the recalled batch per checkpoint")
    int recallRuns;

    @Option(names = "--serials-out", description = "also write a random sample of the loaded items' codes here,"
            + " one 'GTIN-14 serial' per line, for load generators")
    Path serialsOut;

    @Option(names = "--serials-sample", defaultValue = "100000", description = "how many codes --serials-out writes")
    int serialsSample;

    @Option(names = "--seed", defaultValue = "20261124")
    long seed;

    @Option(names = "--out", description = "the results file to write (needed with checkpoints)")
    Path out;

    @Option(names = "--invocation", defaultValue = "", description = "the command as run, for the results file")
    String invocation;

    @Option(names = "--machine", description = "a Markdown table describing the machine, for the results file")
    Path machine;

    private Service service;
    private Story.Sites sites;
    private long productId;
    private long lineId;
    private String gtin14;
    private final List<Story.Batch> loaded = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new LedgerBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        String password = System.getenv(passwordVariable);
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("the password is not in the environment variable " + passwordVariable);
        }
        checkpoints = checkpoints.stream().filter(b -> b > 0).toList();
        if (!checkpoints.isEmpty() && out == null) {
            throw new IllegalArgumentException("--out is needed to write the figures of the checkpoints");
        }
        service = new Service(api, user, password);
        Report report = new Report(invocation, machine, batchItems, clients);
        try (Database db = new Database(jdbc, dbUser)) {
            db.createRawTables();
            masterData();
            for (int b = 1; b <= batches; b++) {
                Story.Batch batch = newBatch(db, b);
                Story story = new Story(sites, batch);
                Load load = load(story);
                loaded.add(batch);
                log("batch %d of %d loaded: %,d events, %,d EPCs in %.1f s (%,.0f events/s, %,.0f EPCs/s)", b, batches,
                        load.events(), load.epcs(), load.seconds(), load.events() / load.seconds(), load.epcs() / load.seconds());
                // Between batches, untimed: the maintenance a server's autovacuum does while lines capture.
                db.maintain();
                if (checkpoints.contains(b)) {
                    report.add(measure(db, story, batch, load));
                    report.write(out);
                }
            }
        }
        if (serialsOut != null) {
            writeSample();
        }
        if (!checkpoints.isEmpty()) {
            log("results written to %s", out);
        }
        return 0;
    }

    private void masterData() {
        String[] glns = new String[5];
        String[][] names = { { "factory", "Factory Sevilla", "Sevilla", "ES" }, { "warehouse", "Warehouse Zaragoza", "Zaragoza", "ES" },
                { "distributor", "Distributor Lyon", "Lyon", "FR" }, { "retailer", "Shop Paris", "Paris", "FR" },
                { "retailer", "Shop Milano", "Milano", "IT" } };
        for (int i = 0; i < names.length; i++) {
            glns[i] = Gs1Numbers.withCheckDigit("950611" + String.format("%06d", 900 + i));
            long id = service.create("/api/sites", "{\"gln\":\"" + glns[i] + "\",\"name\":\"" + names[i][1] + "\",\"role\":\""
                    + names[i][0] + "\",\"address\":{\"city\":\"" + names[i][2] + "\",\"country\":\"" + names[i][3] + "\"}}");
            if (i == 0) {
                lineId = service.create("/api/sites/" + id + "/lines", "{\"code\":\"L1\",\"name\":\"Bottling line 1\"}");
            }
        }
        sites = new Story.Sites(glns[0], glns[1], glns[2], glns[3], glns[4]);
        String gtin13 = Gs1Numbers.withCheckDigit("950600" + "013435");
        gtin14 = "0" + gtin13;
        productId = service.create("/api/products", "{\"gtin\":\"" + gtin13 + "\",\"name\":\"Olive oil 500 ml\",\"brand\":\"Tracemark Farms\"}");
    }

    private Story.Batch newBatch(Database db, int number) throws Exception {
        LocalDate day = LocalDate.of(2026, 1, 5).plusWeeks(number - 1);
        String lot = "L" + day.toString().replace("-", "");
        long id = service.create("/api/batches", "{\"productId\":" + productId + ",\"lot\":\"" + lot + "\",\"productionDate\":\""
                + day + "\",\"expiryDate\":\"" + day.plusYears(2) + "\",\"lineId\":" + lineId + ",\"plannedQuantity\":" + batchItems + "}");
        service.post("/api/batches/" + id + "/codes", "{\"count\":" + batchItems + "}", 201);
        List<String> serials = db.serials(id);
        if (serials.size() != batchItems) {
            throw new IllegalStateException("batch " + id + " holds " + serials.size() + " codes, not " + batchItems);
        }
        return new Story.Batch(id, number, gtin14, lot, day, serials);
    }

    /** Captures every step of the story, each step's documents by {@link #clients} clients at once. */
    private Load load(Story story) throws Exception {
        List<Figures.Capture> captures = new ArrayList<>();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            for (Story.Step step : story.steps()) {
                List<Future<Figures.Capture>> pending = new ArrayList<>();
                for (Story.Document document : step.documents()) {
                    pending.add(pool.submit(() -> timedCapture(document)));
                }
                for (Future<Figures.Capture> capture : pending) {
                    captures.add(capture.get());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new Load(captures, System.nanoTime() - start, loadAverages());
    }

    private Figures.Capture timedCapture(Story.Document document) {
        long start = System.nanoTime();
        String captureId = service.capture(document.json(), document.events());
        return new Figures.Capture(document.kind(), document.events(), document.epcs(), System.nanoTime() - start, captureId);
    }

    private Checkpoint measure(Database db, Story story, Story.Batch batch, Load load) throws Exception {
        String before = loadAverages();
        List<CaptureRound> rounds = new ArrayList<>();
        for (int round = 0; round < captureRounds; round++) {
            int from = round * Story.EVENTS_PER_DOCUMENT % batch.serials().size();
            int count = Math.min(Story.EVENTS_PER_DOCUMENT, batch.serials().size());
            rounds.add(captureRound(db, story.cycleCount(from, count, round)));
            rounds.add(captureRound(db, story.palletCount(round % batch.pallets(), round)));
            rounds.add(captureRound(db, story.lateCycleCount(from, count, round)));
        }
        log("capture rounds done");
        List<TraceSample> traces = traces(db);
        log("trace samples done");
        List<RecallRound> recalls = recalls(db);
        log("recall streams done");
        return new Checkpoint(loaded.size() * (long) batchItems, db.count("select count(*) from event"),
                db.count("select count(*) from event_epc"), db.text("select pg_size_pretty(pg_database_size(current_database()))"),
                load, rounds, traces, recalls, before + " before, " + loadAverages() + " after");
    }

    /** One document through the API, then the same rows inserted raw, one after the other. */
    private CaptureRound captureRound(Database db, Story.Document document) throws Exception {
        db.checkpoint();
        Figures.Capture api = timedCapture(document);
        Database.Rows rows = db.rowsOf(api.captureId());
        if (rows.events().size() != document.events()) {
            throw new IllegalStateException("capture " + api.captureId() + " holds " + rows.events().size() + " events");
        }
        db.checkpoint();
        long raw = db.insertRaw(rows);
        return new CaptureRound(api, raw, rows.epcs().size());
    }

    /** Random items of every loaded batch, each traced through the API and then raw; a warm-up tenth first. */
    private List<TraceSample> traces(Database db) throws Exception {
        Random random = new Random(seed + loaded.size());
        List<TraceSample> samples = new ArrayList<>();
        int warmup = Math.max(10, traceSamples / 10);
        for (int s = 0; s < warmup + traceSamples; s++) {
            Story.Batch batch = loaded.get(random.nextInt(loaded.size()));
            int i = random.nextInt(batch.serials().size());
            long start = System.nanoTime();
            service.trace(batch.serials().get(i));
            long api = System.nanoTime() - start;
            long raw = db.rawTrace(batch.item(i), batch.pallet(i / Story.PALLET_ITEMS), batch.caseOf(i / Story.CASE_ITEMS),
                    Story.ID + "/01/" + batch.gtin14() + "/10/" + batch.lot());
            if (s >= warmup) {
                samples.add(new TraceSample(api, raw));
            }
        }
        return samples;
    }

    /** The first batch, recalled at the first checkpoint, streamed as JSON and as CSV, and listed raw. */
    private List<RecallRound> recalls(Database db) throws Exception {
        Story.Batch batch = loaded.get(0);
        if (loaded.size() == checkpoints.stream().mapToInt(Integer::intValue).min().orElse(1)) {
            service.post("/api/movements/recall", "{\"requestId\":\"bench-recall-" + batch.id() + "\",\"batchId\":" + batch.id() + "}", 201);
        }
        long[] span = db.span(batch.id());
        String path = "/api/trace/batches/" + batch.id() + "/items";
        List<RecallRound> rounds = new ArrayList<>();
        for (int run = 0; run < recallRuns; run++) {
            long start = System.nanoTime();
            Service.Streamed json = service.stream(path, "application/json", (byte) '{');
            long jsonNanos = System.nanoTime() - start;
            start = System.nanoTime();
            Service.Streamed csv = service.stream(path, "text/csv", (byte) '\n');
            long csvNanos = System.nanoTime() - start;
            start = System.nanoTime();
            long rawItems = db.rawRecall(batch.id(), span, Story.ID + "/01/" + batch.gtin14() + "/21/");
            long rawNanos = System.nanoTime() - start;
            // One object per item plus the envelope; one line per item plus the header.
            rounds.add(new RecallRound(json.markers() - 1, jsonNanos, json.bytes(), csv.markers() - 1, csvNanos, rawItems, rawNanos));
        }
        return rounds;
    }

    /** Random codes of every loaded batch, for a load generator to scan. */
    private void writeSample() throws IOException {
        Random random = new Random(seed);
        StringBuilder lines = new StringBuilder();
        for (int s = 0; s < serialsSample; s++) {
            Story.Batch batch = loaded.get(random.nextInt(loaded.size()));
            lines.append(batch.gtin14()).append(' ').append(batch.serials().get(random.nextInt(batch.serials().size())))
                    .append('\n');
        }
        Files.writeString(serialsOut, lines);
        log("%,d codes written to %s", serialsSample, serialsOut);
    }

    /** The machine's load averages over 1, 5 and 15 minutes: how busy the shared machine was. */
    static String loadAverages() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " / " + fields[1] + " / " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    static void log(String format, Object... args) {
        System.err.printf("[%tT] %s%n", System.currentTimeMillis(), String.format(format, args));
    }
}
