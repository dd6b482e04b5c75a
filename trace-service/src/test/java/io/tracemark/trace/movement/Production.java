package io.tracemark.trace.movement;

import static io.tracemark.trace.Api.asAdmin;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.path.json.JsonPath;
import io.tracemark.marker.MarkOrder;
import io.tracemark.marker.verify.Grade;
import io.tracemark.trace.Api;
import io.tracemark.trace.code.CodeAllocator;
import io.tracemark.trace.code.CodeRegistry;
import io.tracemark.trace.code.SerialKeys;
import io.tracemark.trace.marking.RecordedRuns;
import io.tracemark.trace.marking.RegistryMarkingPort;
import io.tracemark.trace.marking.RunState;

/** A factory's line marking a batch, as the registry sees it, and the ledger counted behind the API. */
@ApplicationScoped
public class Production {

    /** A batch on a fresh line of a fresh factory, with the codes its run sent to the marker. */
    public record Lot(long batchId, long siteId, String gln, String gtin, String lot, long runId, RegistryMarkingPort port,
            List<MarkOrder> orders) {

        public List<String> codes() {
            return orders.stream().map(MarkOrder::content).toList();
        }
    }

    final EntityManager em;
    final SerialKeys keys;
    final CodeRegistry registry;
    final CodeAllocator allocator;
    final Commissioner commissioner;

    Production(EntityManager em, SerialKeys keys, CodeRegistry registry, CodeAllocator allocator,
            Commissioner commissioner) {
        this.em = em;
        this.keys = keys;
        this.registry = registry;
        this.allocator = allocator;
        this.commissioner = commissioner;
    }

    /** A running marking run that has sent {@code count} codes of a fresh batch to its marker. */
    Lot sent(int count) {
        long batch = Api.batch();
        JsonPath batchView = asAdmin().get("/api/batches/" + batch).then().statusCode(200).extract().jsonPath();
        long line = batchView.getLong("lineId");
        long site = asAdmin().get("/api/lines/" + line).then().statusCode(200).extract().jsonPath().getLong("siteId");
        JsonPath siteView = asAdmin().get("/api/sites/" + site).then().statusCode(200).extract().jsonPath();
        long runId = RecordedRuns.running(batch, line, count);
        RegistryMarkingPort port = new RegistryMarkingPort(runId, em, keys, registry, allocator);
        List<MarkOrder> orders = port.claim(count);
        String gtin = batchView.getString("gtin");
        return new Lot(batch, site, siteView.getString("gln"), gtin, batchView.getString("lot"), runId, port, orders);
    }

    /** {@code count} items marked, verified and commissioned; their codes as printed. */
    public Lot commissioned(int count) {
        Lot lot = sent(count);
        lot.orders().forEach(order -> {
            lot.port().marked(order.id());
            lot.port().verified(order.id(), Grade.A);
        });
        commissioner.pass();
        return lot;
    }

    public void end(Lot lot) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "update marking_run set state = ?1, active_line_id = null, finished_at = ?2 where id = ?3")
                .setParameter(1, RunState.FINISHED.name()).setParameter(2, OffsetDateTime.now(ZoneOffset.UTC))
                .setParameter(3, lot.runId()).executeUpdate());
    }

    /** How many events the ledger recorded since the given instant, as an admin's query finds them. */
    static int eventsSince(OffsetDateTime since) {
        return asAdmin().queryParams(Map.of("GE_recordTime", since.toString(), "perPage", "1000"))
                .get("/epcis/events").then().statusCode(200).extract().jsonPath()
                .getList("epcisBody.queryResults.resultsBody.eventList").size();
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).minusNanos(1_000_000);
    }

    static String stateOf(String serial) {
        return asAdmin().get("/api/codes/" + serial).then().statusCode(200).extract().jsonPath().getString("state");
    }
}
