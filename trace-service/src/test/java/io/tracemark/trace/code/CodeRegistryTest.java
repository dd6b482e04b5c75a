package io.tracemark.trace.code;

import static io.tracemark.trace.Api.anonymous;
import static io.tracemark.trace.Api.asAdmin;
import static io.tracemark.trace.Api.asStation;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.tracemark.fixtures.PostgresDatabase;
import io.tracemark.trace.Api;
import io.tracemark.trace.LogCapture;
import io.tracemark.trace.symbol.RenderedSymbol;

@QuarkusTest
class CodeRegistryTest {

    private static final String URI_PATTERN = "http://localhost:8080/01/\\d{14}/21/[0-9A-HJKMNP-TV-Z]{18}";

    private static long rowsOf(long batchId) throws Exception {
        try (Connection db = PostgresDatabase.connect();
                PreparedStatement count = db.prepareStatement("select count(*) from code where batch_id = ?")) {
            count.setLong(1, batchId);
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    @Test
    void allocatesCodesAsDigitalLinkUrisAndListsThem() {
        long batch = Api.batch();
        asAdmin().body(Map.of("count", 1200)).post("/api/batches/" + batch + "/codes")
                .then().statusCode(201).body("count", equalTo(1200)).body("batchId", equalTo((int) batch))
                .body("allocatedBy", equalTo("admin"));

        List<String> uris = asAdmin().get("/api/batches/" + batch + "/codes?size=500&page=2")
                .then().statusCode(200).body("total", equalTo(1200)).body("items.size()", equalTo(200))
                .extract().jsonPath().getList("items.uri");
        uris.forEach(uri -> assertTrue(uri.matches(URI_PATTERN), uri));
        asAdmin().get("/api/batches/" + batch).then().body("codesAllocated", equalTo(1200));
    }

    @Test
    void streamsABatchAsCsvForMarkerSoftware() {
        long batch = Api.batch();
        asAdmin().body(Map.of("count", 2500)).post("/api/batches/" + batch + "/codes").then().statusCode(201);

        String csv = asAdmin().accept("text/csv").get("/api/batches/" + batch + "/codes")
                .then().statusCode(200).contentType(startsWith("text/csv"))
                .header("Content-Disposition", containsString("batch-" + batch))
                .extract().asString();
        List<String> lines = csv.lines().toList();
        assertEquals("serial,uri,gtin,lot,state", lines.get(0));
        assertEquals(2501, lines.size());
        Set<String> serials = new HashSet<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            assertTrue(cells[1].matches(URI_PATTERN), line);
            assertTrue(cells[1].endsWith("/21/" + cells[0]), line);
            assertEquals("ALLOCATED", cells[4]);
            serials.add(cells[0]);
        }
        assertEquals(2500, serials.size(), "every serial is distinct");
    }

    @Test
    void aClientThatStopsReadingTheCsvIsOneLineAtInfoAndNoError() throws Exception {
        long batch = Api.batch();
        // About 7 MB of CSV: more than the sockets on both ends buffer (a send buffer grows to 4 MB),
        // so the service is still writing when the client goes.
        asAdmin().body(Map.of("count", 60_000)).post("/api/batches/" + batch + "/codes").then().statusCode(201);
        try (LogCapture log = LogCapture.start()) {
            try (Socket client = new Socket()) {
                client.setReceiveBufferSize(4096);
                client.connect(new InetSocketAddress("localhost", RestAssured.port));
                String credentials = Base64.getEncoder().encodeToString(("admin:" + Api.ADMIN_PASSWORD)
                        .getBytes(StandardCharsets.UTF_8));
                client.getOutputStream().write(("GET /api/batches/" + batch + "/codes HTTP/1.1\r\nHost: localhost\r\n"
                        + "Accept: text/csv\r\nAuthorization: Basic " + credentials + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                String head = new String(client.getInputStream().readNBytes(2048), StandardCharsets.US_ASCII);
                assertTrue(head.startsWith("HTTP/1.1 200"), head);
                // The client reads no more, as a paused download does: the service waits for it to drain
                // what was sent; then it is gone without a word, as a cancelled download is.
                Thread.sleep(3000);
                client.setSoLinger(true, 0);
            }
            List<LogRecord> told = log.await("The client stopped reading the code list CSV of batch " + batch
                    + " after", 30);
            assertEquals(1, told.size(), () -> "one line for the early close in " + log.lines());
            assertEquals(Level.INFO, told.get(0).getLevel());
            assertEquals(null, told.get(0).getThrown(), "no stack trace");
            Thread.sleep(300);
            assertEquals(List.of(), log.warningsOrTraces());
        }
        // The service carries on, and the early close changed nothing.
        asAdmin().get("/api/batches/" + batch + "/codes?size=1").then().statusCode(200).body("total", equalTo(60_000));
    }

    @Test
    void showsOneCodesLifecycleState() {
        long batch = Api.batch();
        asAdmin().body(Map.of("count", 3)).post("/api/batches/" + batch + "/codes").then().statusCode(201);
        String serial = asAdmin().get("/api/batches/" + batch + "/codes").then().extract().jsonPath()
                .getString("items[1].serial");

        asAdmin().get("/api/codes/" + serial).then().statusCode(200)
                .body("serial", equalTo(serial)).body("state", equalTo("ALLOCATED"))
                .body("batchId", equalTo((int) batch));
        asAdmin().get("/api/codes/" + serial.toLowerCase()).then().statusCode(200).body("serial", equalTo(serial));
        String forged = serial.substring(0, 17) + (serial.charAt(17) == 'A' ? 'B' : 'A');
        asAdmin().get("/api/codes/" + forged).then().statusCode(404)
                .body("type", equalTo("urn:tracemark:problem:not-found"));
    }

    @Test
    void oversizeAndZeroCountsAllocateNothing() throws Exception {
        long batch = Api.batch();
        asAdmin().body(Map.of("count", 10)).post("/api/batches/" + batch + "/codes").then().statusCode(201);

        asAdmin().body(Map.of("count", 100_001)).post("/api/batches/" + batch + "/codes")
                .then().statusCode(400).body("violations[0].field", equalTo("count"))
                .body("violations[0].message", containsString("100000"));
        asAdmin().body(Map.of("count", 0)).post("/api/batches/" + batch + "/codes")
                .then().statusCode(400).body("violations[0].field", equalTo("count"));
        asAdmin().body("{\"count\": \"many\"}").post("/api/batches/" + batch + "/codes")
                .then().statusCode(400).body("violations[0].field", equalTo("count"));
        asAdmin().body(Map.of("count", 5)).post("/api/batches/987654321/codes")
                .then().statusCode(404);

        assertEquals(10, rowsOf(batch));
        asAdmin().get("/api/batches/" + batch).then().body("codesAllocated", equalTo(10));
    }

    @Test
    void aRetriedAllocationWithItsRequestIdIssuesNothingNew() throws Exception {
        long batch = Api.batch();
        String path = "/api/batches/" + batch + "/codes";
        String requestId = "alloc-" + batch;
        long first = asAdmin().body(Map.of("count", 7, "requestId", requestId)).post(path).then().statusCode(201)
                .header("Idempotent-Replayed", "false").body("count", equalTo(7)).extract().jsonPath().getLong("id");

        asAdmin().body(Map.of("count", 7, "requestId", requestId)).post(path).then().statusCode(201)
                .header("Idempotent-Replayed", "true").body("id", equalTo((int) first)).body("count", equalTo(7));
        assertEquals(7, rowsOf(batch));

        asAdmin().body(Map.of("count", 8, "requestId", requestId)).post(path).then().statusCode(409)
                .body("type", equalTo("urn:tracemark:problem:conflict"))
                .body("violations[0].field", equalTo("requestId"))
                .body("violations[0].message", containsString("7 codes of batch " + batch));
        long other = Api.batch();
        asAdmin().body(Map.of("count", 7, "requestId", requestId)).post("/api/batches/" + other + "/codes").then()
                .statusCode(409).body("violations[0].field", equalTo("requestId"));
        asAdmin().body(Map.of("count", 7, "requestId", "not an id!")).post(path).then().statusCode(400)
                .body("violations[0].field", equalTo("requestId"));

        assertEquals(7, rowsOf(batch));
        assertEquals(0, rowsOf(other));
        asAdmin().get("/api/batches/" + batch).then().body("codesAllocated", equalTo(7));
        // Without a request id every call is a new allocation, as before.
        asAdmin().body(Map.of("count", 7)).post(path).then().statusCode(201).header("Idempotent-Replayed", "false");
        assertEquals(14, rowsOf(batch));
    }

    @Test
    void checksCodesOfflineWhateverTheirSpelling() {
        long batch = Api.batch();
        asAdmin().body(Map.of("count", 1)).post("/api/batches/" + batch + "/codes").then().statusCode(201);
        Map<String, Object> code = asAdmin().get("/api/batches/" + batch + "/codes").then().extract().jsonPath()
                .getMap("items[0]");
        String serial = (String) code.get("serial");
        String uri = (String) code.get("uri");

        anonymous().body(Map.of("code", uri)).post("/api/codes/check").then().statusCode(200)
                .body("issuedByThisRegistry", equalTo(true)).body("serial", equalTo(serial))
                .body("gtin", equalTo(code.get("gtin")));
        anonymous().body(Map.of("code", "(01)" + code.get("gtin") + "(21)" + serial)).post("/api/codes/check")
                .then().statusCode(200).body("issuedByThisRegistry", equalTo(true));
        anonymous().body(Map.of("code", serial)).post("/api/codes/check").then().statusCode(200)
                .body("issuedByThisRegistry", equalTo(true));
        anonymous().body(Map.of("code", "ABCDEFGHJKMNPQRSTV")).post("/api/codes/check").then().statusCode(200)
                .body("issuedByThisRegistry", equalTo(false));
        anonymous().body(Map.of("code", "https://id.example.com/01/09506000134353/21/" + serial))
                .post("/api/codes/check").then().statusCode(400)
                .body("violations[0].field", equalTo("code"));
        anonymous().body(Map.of()).post("/api/codes/check").then().statusCode(400)
                .body("violations[0].field", equalTo("code"));
    }

    @Test
    void stationKeysActForTheirOwnLineOnly() throws Exception {
        long batch = Api.batch();
        String key = Api.stationKey(Api.lineOfBatch(batch));
        asStation(key).body(Map.of("count", 5)).post("/api/batches/" + batch + "/codes").then().statusCode(201)
                .body("allocatedBy", startsWith("station-key:"));
        asStation(key).get("/api/batches/" + batch + "/codes").then().statusCode(200).body("total", equalTo(5));

        long otherBatch = Api.batch();
        asStation(key).body(Map.of("count", 5)).post("/api/batches/" + otherBatch + "/codes").then().statusCode(403)
                .body("type", equalTo("urn:tracemark:problem:forbidden"));
        assertEquals(0, rowsOf(otherBatch));
        asStation(key).body(Map.of("gtin", Api.NUMBERS.gtin13(), "name", "x")).post("/api/products")
                .then().statusCode(403);
        asStation(key.substring(0, key.length() - 2) + "zz").get("/api/batches/" + batch + "/codes")
                .then().statusCode(401);
    }

    @Test
    void revokedStationKeysAreRefused() {
        long batch = Api.batch();
        long line = Api.lineOfBatch(batch);
        String key = Api.stationKey(line);
        long keyId = asAdmin().get("/api/lines/" + line + "/keys").then().statusCode(200)
                .body("[0].key", org.hamcrest.Matchers.nullValue())
                .extract().jsonPath().getLong("[0].id");
        asAdmin().delete("/api/lines/" + line + "/keys/" + keyId).then().statusCode(204);
        asStation(key).get("/api/batches/" + batch + "/codes").then().statusCode(401);
    }

    @Test
    void rendersASymbolThatDecodesToTheCode() throws Exception {
        long batch = Api.batch();
        asAdmin().body(Map.of("count", 1)).post("/api/batches/" + batch + "/codes").then().statusCode(201);
        Map<String, Object> code = asAdmin().get("/api/batches/" + batch + "/codes").then().extract().jsonPath()
                .getMap("items[0]");

        byte[] png = asAdmin().get("/api/codes/" + code.get("serial") + "/symbol?format=png&type=qr&size=300")
                .then().statusCode(200).contentType("image/png").extract().asByteArray();
        assertEquals(code.get("uri"), RenderedSymbol.decode(png).getText());

        asAdmin().get("/api/codes/" + code.get("serial") + "/symbol?format=svg&type=datamatrix")
                .then().statusCode(200).contentType("image/svg+xml").body(containsString("<path"));
        asAdmin().get("/api/codes/" + code.get("serial") + "/symbol?format=gif").then().statusCode(400)
                .body("violations[0].field", equalTo("format"));
        asAdmin().get("/api/codes/" + code.get("serial") + "/symbol?size=10").then().statusCode(400)
                .body("violations[0].field", equalTo("size"));
        anonymous().get("/api/codes/" + code.get("serial") + "/symbol").then().statusCode(401);
    }
}
