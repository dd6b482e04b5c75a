package io.tracemark.trace.tracing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Every event of every item of a batch as one EPCISDocument, written as it is read: the codes are
 * read a thousand at a time in counter order and each event is written the first time an item
 * meets it, so the cases, pallets and recalls the items share appear once.
 */
@ApplicationScoped
public class BatchEvidence {

    private static final int CODES_PER_READ = 1_000;
    private static final String NEXT_CODES = "select counter, serial from code where counter between ? and ?"
            + " and batch_id = ? order by counter limit " + CODES_PER_READ;

    private final Tracer tracer;
    private final ObjectMapper json = new ObjectMapper();

    public BatchEvidence(Tracer tracer) {
        this.tracer = tracer;
    }

    void write(BatchItems.Label batch, Function<TracedEvent, ObjectNode> captured, OutputStream out) {
        try (JsonGenerator generator = json.getFactory().createGenerator(out); Tracer.Session session = tracer.open()) {
            generator.writeStartObject();
            generator.writeArrayFieldStart("@context");
            generator.writeString(TraceResource.STANDARD_CONTEXT);
            generator.writeEndArray();
            generator.writeStringField("type", "EPCISDocument");
            generator.writeStringField("schemaVersion", "2.0");
            generator.writeStringField("creationDate", DateTimeFormatter.ISO_OFFSET_DATE_TIME
                    .format(OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS)));
            generator.writeObjectFieldStart("epcisBody");
            generator.writeArrayFieldStart("eventList");
            writeEvents(batch, session, event -> json.writeValue(generator, captured.apply(event)));
            generator.writeEndArray();
            generator.writeEndObject();
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface EventSink {
        void write(TracedEvent event) throws IOException;
    }

    private void writeEvents(BatchItems.Label batch, Tracer.Session session, EventSink sink) throws IOException {
        Set<Long> written = new HashSet<>();
        long from = batch.span().first();
        for (Codes codes = next(session.connection(), batch, from); !codes.serials().isEmpty();
                codes = next(session.connection(), batch, codes.last() + 1)) {
            for (String serial : codes.serials()) {
                for (TracedEvent event : session.trace(TraceService.Item.epc(batch.gtin(), serial),
                        TraceService.Item.lotClass(batch.gtin(), batch.lot()))) {
                    if (written.add(event.row())) {
                        sink.write(event);
                    }
                }
            }
        }
    }

    /** Up to a thousand serials of the batch from a counter on, and the counter of the last. */
    private record Codes(List<String> serials, long last) {
    }

    private static Codes next(Connection connection, BatchItems.Label batch, long from) {
        List<String> serials = new ArrayList<>(CODES_PER_READ);
        long last = from;
        try (PreparedStatement select = connection.prepareStatement(NEXT_CODES)) {
            select.setLong(1, from);
            select.setLong(2, batch.span().last());
            select.setLong(3, batch.id());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    last = rows.getLong(1);
                    serials.add(rows.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the codes of batch " + batch.id() + " failed", e);
        }
        return new Codes(serials, last);
    }
}
