package io.tracemark.trace.code;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tracemark.trace.batch.Batch;
import io.tracemark.trace.batch.BatchResource;
import io.tracemark.trace.config.TracemarkConfig;
import io.tracemark.trace.problem.ProblemException;
import io.tracemark.trace.problem.ProblemType;
import io.tracemark.trace.storage.Storage;

/**
 * Issues codes to a batch: reserves a range of the registry counter, derives the serials and
 * writes every row in one transaction, so an allocation lands whole or not at all.
 */
@ApplicationScoped
public class CodeAllocator {

    private static final int COPY_CHUNK_BYTES = 1 << 16;
    private static final int INSERT_BATCH = 1_000;
    private static final DateTimeFormatter COPY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSXXX");

    private final AgroalDataSource dataSource;
    private final EntityManager entityManager;
    private final SerialCodec codec;
    private final Storage storage;
    private final TracemarkConfig config;
    private final Counter allocated;

    public CodeAllocator(AgroalDataSource dataSource, EntityManager entityManager, SerialCodec codec, Storage storage,
            TracemarkConfig config, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.entityManager = entityManager;
        this.codec = codec;
        this.storage = storage;
        this.config = config;
        this.allocated = Counter.builder("tracemark.codes.allocated").description("Codes issued by the registry")
                .baseUnit("codes").register(meters);
    }

    public record Allocation(long id, long batchId, int count, String allocatedBy, OffsetDateTime allocatedAt) {
    }

    @Transactional
    public Allocation allocate(long batchId, int count, String allocatedBy) {
        if (count < 1 || count > config.codes().maxPerAllocation()) {
            throw ProblemException.invalid("count", "must be between 1 and " + config.codes().maxPerAllocation());
        }
        Batch batch = BatchResource.find(batchId);
        long first = reserve(count);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String[] serials = codec.serialsOf(first, count);
        try (Connection connection = dataSource.getConnection()) {
            if (storage.embedded()) {
                insertRows(connection, first, serials, batchId, now);
            } else {
                copyRows(connection, first, serials, batchId, now);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Writing " + count + " codes for batch " + batchId + " failed", e);
        }
        batch.codesAllocated += count;
        CodeAllocation record = new CodeAllocation();
        record.batchId = batchId;
        record.firstCounter = first;
        record.codeCount = count;
        record.allocatedBy = allocatedBy;
        record.allocatedAt = now;
        record.persist();
        allocated.increment(count);
        return new Allocation(record.id, batchId, count, allocatedBy, now);
    }

    /**
     * Moves the counter forward in a transaction of its own: a reserved range is never handed out
     * again, even when the allocation that reserved it fails, so no serial can ever be issued twice.
     */
    private long reserve(int count) {
        long end = QuarkusTransaction.requiringNew().call(() -> {
            entityManager.createNativeQuery("update code_counter set next_value = next_value + ?1 where id = 1")
                    .setParameter(1, count).executeUpdate();
            return ((Number) entityManager.createNativeQuery("select next_value from code_counter where id = 1")
                    .getSingleResult()).longValue();
        });
        if (end - 1 > SerialCodec.MAX_COUNTER) {
            throw new ProblemException(ProblemType.UNAVAILABLE, "The registry has issued every serial its key allows");
        }
        return end - count;
    }

    private static void copyRows(Connection connection, long first, String[] serials, long batchId,
            OffsetDateTime now) throws SQLException {
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY code (counter, serial, batch_id, state, state_changed_at) FROM STDIN");
        try {
            String suffix = "\t" + batchId + "\t" + CodeState.ALLOCATED + "\t" + COPY_TIME.format(now) + "\n";
            ByteArrayOutputStream chunk = new ByteArrayOutputStream(COPY_CHUNK_BYTES + 256);
            for (int i = 0; i < serials.length; i++) {
                chunk.writeBytes((first + i + "\t" + serials[i] + suffix).getBytes(StandardCharsets.US_ASCII));
                if (chunk.size() >= COPY_CHUNK_BYTES) {
                    copy.writeToCopy(chunk.toByteArray(), 0, chunk.size());
                    chunk.reset();
                }
            }
            copy.writeToCopy(chunk.toByteArray(), 0, chunk.size());
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private static void insertRows(Connection connection, long first, String[] serials, long batchId,
            OffsetDateTime now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into code (counter, serial, batch_id, state, state_changed_at) values (?, ?, ?, ?, ?)")) {
            Timestamp at = Timestamp.from(now.toInstant());
            for (int i = 0; i < serials.length; i++) {
                insert.setLong(1, first + i);
                insert.setString(2, serials[i]);
                insert.setLong(3, batchId);
                insert.setString(4, CodeState.ALLOCATED.name());
                insert.setTimestamp(5, at);
                insert.addBatch();
                if ((i + 1) % INSERT_BATCH == 0) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
    }
}
