package io.tracemark.trace.tracing;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.tracemark.trace.batch.Batch;
import io.tracemark.trace.code.Code;
import io.tracemark.trace.code.CodeRegistry;
import io.tracemark.trace.gs1.EpcIdentifier;
import io.tracemark.trace.problem.ProblemException;

/**
 * Backward trace of a case or pallet: what was packed into it (AggregationEvents naming it as
 * parentID), recursively for the cases on a pallet, down to the items and their batches.
 */
@ApplicationScoped
public class Containers {

    private final Tracer tracer;
    private final CodeRegistry registry;

    public Containers(Tracer tracer, CodeRegistry registry) {
        this.tracer = tracer;
        this.registry = registry;
    }

    /** Something packed into a container: an item (with its batch) or a container (with its contents). */
    public record Content(String epc, String kind, OffsetDateTime packedAt, OffsetDateTime unpackedAt, String serial,
            Long batchId, String gtin, String lot, List<Content> contents) {
    }

    /** How many items of one batch a container held, nested containers included. */
    public record BatchCount(long batchId, String gtin, String lot, int items) {
    }

    public record ContainerTrace(String sscc, String epc, List<Content> contents, List<BatchCount> batches) {
    }

    ContainerTrace trace(String sscc) {
        String epc = epcOf(sscc);
        Map<Long, BatchCount> batches = new LinkedHashMap<>();
        try (Tracer.Session session = tracer.open()) {
            List<Content> contents = contents(session, epc, 0, batches);
            return new ContainerTrace(EpcIdentifier.parse(epc).key(), epc, contents, new ArrayList<>(batches.values()));
        }
    }

    private List<Content> contents(Tracer.Session session, String container, int depth, Map<Long, BatchCount> batches) {
        Map<String, OffsetDateTime[]> packed = new LinkedHashMap<>();
        for (Tracer.Naming naming : session.named(container)) {
            TracedEvent event = naming.event();
            if (!event.isAggregation() || !naming.roles().contains("PARENT")) {
                continue;
            }
            JsonNode children = tracer.document(event).get("childEPCs");
            boolean delete = "DELETE".equals(event.action());
            if (delete && (children == null || children.isEmpty())) {
                packed.values().stream().filter(span -> span[1] == null).forEach(span -> span[1] = event.eventTime());
                continue;
            }
            if (children == null) {
                continue;
            }
            for (JsonNode child : children) {
                String epc = Tracer.canonical(child.asText());
                if (epc == null) {
                    continue;
                }
                if (delete) {
                    OffsetDateTime[] span = packed.get(epc);
                    if (span != null && span[1] == null) {
                        span[1] = event.eventTime();
                    }
                } else {
                    packed.putIfAbsent(epc, new OffsetDateTime[] { event.eventTime(), null });
                }
            }
        }
        List<Content> contents = new ArrayList<>();
        for (Map.Entry<String, OffsetDateTime[]> entry : packed.entrySet()) {
            EpcIdentifier id = EpcIdentifier.parse(entry.getKey());
            OffsetDateTime from = entry.getValue()[0];
            OffsetDateTime to = entry.getValue()[1];
            if ("01".equals(id.ai()) && "21".equals(id.qualifierAi())) {
                Code code = registry.find(id.qualifier()).orElse(null);
                if (code == null) {
                    contents.add(new Content(entry.getKey(), "item", from, to, id.qualifier(), null, id.key(), null, null));
                    continue;
                }
                Batch batch = code.batch;
                contents.add(new Content(entry.getKey(), "item", from, to, code.serial, batch.id, batch.product.gtin,
                        batch.lot, null));
                BatchCount count = batches.get(batch.id);
                batches.put(batch.id, new BatchCount(batch.id, batch.product.gtin, batch.lot,
                        count == null ? 1 : count.items() + 1));
            } else {
                List<Content> inner = depth + 1 < Tracer.MAX_DEPTH && Set.of("00", "8003", "8004").contains(id.ai())
                        ? contents(session, entry.getKey(), depth + 1, batches)
                        : List.of();
                contents.add(new Content(entry.getKey(), "container", from, to, null, null, null, null, inner));
            }
        }
        return contents;
    }

    /** The canonical EPC of an SSCC given as 18 digits, a Digital Link /00/{SSCC} or an EPC URN. */
    static String epcOf(String sscc) {
        String text = sscc == null ? "" : sscc.strip();
        if (text.matches("\\d{18}")) {
            text = EpcIdentifier.CANONICAL_BASE + "/00/" + text;
        }
        try {
            EpcIdentifier id = EpcIdentifier.parse(text);
            if (!"00".equals(id.ai())) {
                throw ProblemException.invalid("sscc", "'" + sscc + "' is not an SSCC");
            }
            return id.canonical();
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("sscc", e.getMessage());
        }
    }
}
