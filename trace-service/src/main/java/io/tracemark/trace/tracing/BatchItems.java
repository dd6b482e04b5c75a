package io.tracemark.trace.tracing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import io.agroal.api.AgroalDataSource;
import io.tracemark.trace.batch.Batch;
import io.tracemark.trace.code.CodeRegistry;

/**
 * Every item of a batch with its last known place and state, for a regulator. The batch's codes
 * are read with a database cursor, a thousand at a time, and their stories from the item view:
 * one query for those thousand rows, and one per level of the cases and pallets they are inside,
 * each container read once per stream. A batch of a million items streams in constant memory,
 * without reading one event.
 */
@ApplicationScoped
public class BatchItems {

    static final String COLUMNS = "serial, uri, codeState, lastEventTime, bizStep, disposition, locationGln,"
            + " locationName, locationCity, locationCountry, custodianName, soldAt, soldPlace, recalled";

    private final CodeRegistry registry;
    private final ItemStories stories;
    private final AgroalDataSource dataSource;
    private final ObjectMapper json = new ObjectMapper();
    private final CsvMapper csv = CsvMapper.builder().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();

    public BatchItems(CodeRegistry registry, ItemStories stories, AgroalDataSource dataSource) {
        this.registry = registry;
        this.stories = stories;
        this.dataSource = dataSource;
    }

    /** One row of the answer. */
    public record ItemState(String serial, String uri, String codeState, String lastEventTime, String bizStep,
            String disposition, String locationGln, String locationName, String locationCity, String locationCountry,
            String custodianName, String soldAt, String soldPlace, boolean recalled) {

        Object[] cells() {
            return new Object[] { serial, uri, codeState, lastEventTime, bizStep, disposition, locationGln,
                    locationName, locationCity, locationCountry, custodianName, soldAt, soldPlace, recalled };
        }
    }

    /** What the stream needs of its batch, read before the response starts streaming. */
    public record Label(long id, String gtin, String lot, CodeRegistry.CounterSpan span) {
    }

    public Label label(Batch batch) {
        return new Label(batch.id, batch.product.gtin, batch.lot, registry.span(batch.id));
    }

    void writeJson(Label batch, OutputStream out) {
        try (JsonGenerator generator = json.getFactory().createGenerator(out)) {
            generator.writeStartObject();
            generator.writeNumberField("batchId", batch.id());
            generator.writeStringField("gtin", batch.gtin());
            generator.writeStringField("lot", batch.lot());
            generator.writeArrayFieldStart("items");
            each(batch, item -> {
                try {
                    json.writeValue(generator, item);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            generator.writeEndArray();
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void writeCsv(Label batch, OutputStream out) {
        CsvSchema.Builder columns = CsvSchema.builder();
        for (String column : COLUMNS.split(", ")) {
            columns.addColumn(column);
        }
        try (SequenceWriter writer = csv.writer(columns.build().withHeader()).writeValues(out)) {
            each(batch, item -> {
                try {
                    writer.write(item.cells());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** When a lot was first recalled, and the reasons its recalls gave, in order. */
    public record LotRecall(OffsetDateTime at, List<String> reasons) {
    }

    /** The batch's recall, from its lot's row in the item view; null while it was never recalled. */
    public LotRecall recall(Label batch) {
        String lotClass = TraceService.Item.lotClass(batch.gtin(), batch.lot());
        try (Connection connection = dataSource.getConnection()) {
            ItemStory lot = stories.reader(connection).lot(lotClass);
            return lot.recalled() ? new LotRecall(lot.recalledAt(), lot.recallReasons()) : null;
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the recalls of batch " + batch.id() + " failed", e);
        }
    }

    /** Each item whose code lies in the label's span, in counter order, as the streams write it. */
    public void forEach(Label batch, Consumer<ItemState> sink) {
        each(batch, sink);
    }

    private void each(Label batch, Consumer<ItemState> sink) {
        String sql = "select serial, state from code where counter between ? and ? and batch_id = ? order by counter";
        try (Connection connection = dataSource.getConnection(); Connection views = dataSource.getConnection()) {
            ItemStories.Reader reader = stories.reader(views);
            Journey.Sites sites = new Journey.Sites(views);
            // Without autocommit off PostgreSQL would ship the whole result before the first row.
            connection.setAutoCommit(false);
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                // One round trip of codes per chunk the tracer reads ahead.
                select.setFetchSize(ItemViews.CHUNK);
                select.setLong(1, batch.span().first());
                select.setLong(2, batch.span().last());
                select.setLong(3, batch.id());
                try (ResultSet rows = select.executeQuery()) {
                    List<String[]> chunk = new ArrayList<>(ItemViews.CHUNK);
                    while (rows.next()) {
                        chunk.add(new String[] { rows.getString(1), rows.getString(2) });
                        if (chunk.size() == ItemViews.CHUNK) {
                            write(batch, chunk, reader, sites, sink);
                        }
                    }
                    write(batch, chunk, reader, sites, sink);
                }
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the items of batch " + batch.id() + " failed", e);
        }
    }

    /** Tells the stories of a chunk of codes (serial, state), writes them out and empties the chunk. */
    private void write(Label batch, List<String[]> chunk, ItemStories.Reader reader, Journey.Sites sites,
            Consumer<ItemState> sink) {
        String lotClass = TraceService.Item.lotClass(batch.gtin(), batch.lot());
        // Folds, not stories: most items' folds are their rows' summary columns, read without their steps.
        Map<String, ItemStory.Summary> told = reader.summaries(
                chunk.stream().map(code -> TraceService.Item.epc(batch.gtin(), code[0])).toList(), lotClass);
        for (String[] code : chunk) {
            sink.accept(state(batch, code[0], code[1], told.get(TraceService.Item.epc(batch.gtin(), code[0])), sites));
        }
        chunk.clear();
    }

    private ItemState state(Label batch, String serial, String codeState, ItemStory.Summary story, Journey.Sites sites) {
        boolean known = !story.isEmpty();
        Journey.Place location = known ? sites.placeOf(story.location()) : null;
        Journey.Place custodian = known ? sites.placeOf(story.custodian()) : null;
        Journey.Place soldPlace = story.soldAt() == null ? null : sites.placeOf(story.soldPlace());
        return new ItemState(serial, registry.uri(batch.gtin(), batch.lot(), serial), codeState,
                known ? time(story.since()) : null, known ? story.bizStep() : null,
                known ? story.disposition() : null, location == null ? null : location.gln(),
                location == null ? null : location.name(), location == null ? null : location.city(),
                location == null ? null : location.country(), custodian == null ? null : custodian.name(),
                story.soldAt() == null ? null : time(story.soldAt()), soldPlace == null ? null : soldPlace.name(),
                story.recalledAt() != null);
    }

    private static String time(OffsetDateTime time) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time);
    }
}
