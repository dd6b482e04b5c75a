package io.tracemark.trace.code;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.function.LongFunction;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import io.agroal.api.AgroalDataSource;
import io.quarkus.panache.common.Sort;
import io.tracemark.marker.verify.Grade;
import io.tracemark.trace.batch.Batch;
import io.tracemark.trace.config.TracemarkConfig;
import io.tracemark.trace.paging.Page;
import io.tracemark.trace.paging.PageRequest;

/** Reads the registry: one code by its serial, a batch's codes page by page or as one CSV stream. */
@ApplicationScoped
public class CodeRegistry {

    private static final int CSV_FETCH_SIZE = 10_000;

    private final SerialKeys keys;
    private final TracemarkConfig config;
    private final AgroalDataSource dataSource;
    // Quote a cell only when its text needs it: URIs stay bare, as marker software expects.
    private final CsvMapper csv = CsvMapper.builder().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();

    public CodeRegistry(SerialKeys keys, TracemarkConfig config, AgroalDataSource dataSource) {
        this.keys = keys;
        this.config = config;
        this.dataSource = dataSource;
    }

    public record CodeView(String serial, String uri, String gtin, String lot, long batchId, CodeState state,
            OffsetDateTime stateChangedAt, Long runId, Grade grade, String voidReason) {
    }

    /** What a code stream needs of its batch, read before the response starts streaming. */
    public record BatchLabel(long id, String gtin, String lot, CounterSpan span) {
    }

    public BatchLabel label(Batch batch) {
        return new BatchLabel(batch.id, batch.product.gtin, batch.lot, span(batch.id));
    }

    /** What the offline check can tell about a code without the database. */
    public record CheckResult(String code, boolean issuedByThisRegistry, String gtin, String lot, String serial,
            String reason) {
    }

    /**
     * The code with this serial, or empty if no such code was issued. Forged serials never reach the
     * database; a serial that decodes under a key is confirmed against the code the registry holds,
     * so a serial made with a retired (perhaps leaked) key never stands for a code of another key.
     */
    public Optional<Code> find(String serial) {
        return find(serial, counter -> Code.<Code>findByIdOptional(counter));
    }

    /**
     * As {@link #find}, with the code's batch, product, line and site read in the same statement:
     * what a consumer's scan shows of the code's origin, in one round trip instead of five.
     */
    public Optional<Code> findWithOrigin(String serial) {
        return find(serial, counter -> Code.find("from Code c join fetch c.batch b join fetch b.product"
                + " join fetch b.line l join fetch l.site where c.id = ?1", counter).<Code>firstResultOptional());
    }

    /** The code of the first candidate counter whose stored serial is the one presented. */
    private Optional<Code> find(String serial, LongFunction<Optional<Code>> byCounter) {
        String canonical = SerialCodec.normalize(serial);
        for (long counter : keys.candidateCounters(serial)) {
            Optional<Code> code = byCounter.apply(counter);
            if (code.isPresent() && code.get().serial.equals(canonical)) {
                return code;
            }
        }
        return Optional.empty();
    }

    public CodeView view(Code code) {
        Batch batch = code.batch;
        return new CodeView(code.serial, uri(batch.product.gtin, batch.lot, code.serial), batch.product.gtin,
                batch.lot, batch.id, code.state, code.stateChangedAt, code.runId, code.grade, code.voidReason);
    }

    /**
     * The counters a batch's codes lie between: from its first allocation's first counter to its
     * last allocation's last. Other batches' codes may lie in between, so queries also filter on
     * the batch; the span keeps them on the primary key.
     */
    public record CounterSpan(long first, long last) {
        static final CounterSpan EMPTY = new CounterSpan(0, -1);
    }

    public CounterSpan span(long batchId) {
        Object[] bounds = (Object[]) CodeAllocation.getEntityManager().createQuery(
                "select min(a.firstCounter), max(a.firstCounter + a.codeCount - 1) from CodeAllocation a "
                        + "where a.batchId = ?1")
                .setParameter(1, batchId).getSingleResult();
        return bounds[0] == null ? CounterSpan.EMPTY
                : new CounterSpan(((Number) bounds[0]).longValue(), ((Number) bounds[1]).longValue());
    }

    public Page<CodeView> page(Batch batch, CodeState state, PageRequest paging) {
        CounterSpan span = span(batch.id);
        var query = state == null
                ? Code.<Code>find("counter between ?1 and ?2 and batch = ?3", Sort.by("counter"), span.first(),
                        span.last(), batch)
                : Code.<Code>find("counter between ?1 and ?2 and batch = ?3 and state = ?4", Sort.by("counter"),
                        span.first(), span.last(), batch, state);
        // The batch keeps its own count, so the usual listing never counts a million rows.
        long total = state == null ? batch.codesAllocated : query.count();
        // Every row's batch is the one already loaded, so view() costs no further query.
        return Page.of(query, paging, this::view, total);
    }

    /** The Digital Link URI of a code, as printed into its symbol. */
    public String uri(String gtin, String lot, String serial) {
        return new DigitalLink(gtin, lot, serial).uri(config.codes().resolverBaseUrl(), config.codes().includeLot());
    }

    /** Streams every code of a batch in counter order, as marker software imports it. */
    public void writeCsv(BatchLabel batch, CodeState state, OutputStream out) {
        CsvSchema schema = CsvSchema.builder().addColumn("serial").addColumn("uri").addColumn("gtin").addColumn("lot")
                .addColumn("state").build().withHeader();
        String sql = "select serial, state from code where counter between ? and ? and batch_id = ?"
                + (state == null ? "" : " and state = ?") + " order by counter";
        String gtin = batch.gtin();
        try (Connection connection = dataSource.getConnection();
                SequenceWriter writer = csv.writer(schema).writeValues(out)) {
            // Without autocommit off PostgreSQL would ship the whole result before the first row.
            connection.setAutoCommit(false);
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                select.setFetchSize(CSV_FETCH_SIZE);
                select.setLong(1, batch.span().first());
                select.setLong(2, batch.span().last());
                select.setLong(3, batch.id());
                if (state != null) {
                    select.setString(4, state.name());
                }
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        String serial = rows.getString(1);
                        writer.write(new Object[] { serial, uri(gtin, batch.lot(), serial), gtin, batch.lot(),
                                rows.getString(2) });
                    }
                }
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the codes of batch " + batch.id() + " failed", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Tells whether a Digital Link URI, element string or bare serial could come from this registry's key. */
    public CheckResult check(String text) {
        Optional<DigitalLink> link = DigitalLink.parse(text);
        String serial = link.map(DigitalLink::serial).orElse(text.strip());
        String gtin = link.map(DigitalLink::gtin14).orElse(null);
        String lot = link.map(DigitalLink::lot).orElse(null);
        boolean genuine = keys.counterOf(serial).isPresent();
        String reason = genuine ? "The serial carries valid check characters for one of this registry's keys"
                : "The serial was not issued by this registry: its check characters do not match";
        return new CheckResult(text, genuine, gtin, lot, genuine ? SerialCodec.normalize(serial) : serial, reason);
    }
}
