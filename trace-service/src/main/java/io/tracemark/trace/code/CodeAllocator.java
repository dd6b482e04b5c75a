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
import java.util.List;
import java.util.Optional;

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
import io.tracemark.trace.config.TracemarkConfig;
import io.tracemark.trace.problem.Problem;
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
    private final SerialKeys keys;
    private final Storage storage;
    private final TracemarkConfig config;
    private final Counter allocated;

    public CodeAllocator(AgroalDataSource dataSource, EntityManager entityManager, SerialKeys keys, Storage storage,
            TracemarkConfig config, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.entityManager = entityManager;
        this.keys = keys;
        this.storage = storage;
        this.config = config;
        this.allocated = Counter.builder("tracemark.codes.allocated").description("Codes issued by the registry")
                .baseUnit("codes").register(meters);
    }

    public record Allocation(long id, long batchId, int count, String allocatedBy, OffsetDateTime allocatedAt) {
    }

    /** An allocation's answer, and whether it is the answer of an earlier request with the same id. */
    public record Outcome(Allocation allocation, boolean replayed) {
    }

    /**
     * Allocates under the client's request id, when it sends one: the same id and body again answers
     * with the first allocation and issues nothing; the same id with another body is refused.
     */
    @Transactional
    public Outcome allocate(long batchId, int count, String allocatedBy, String requestId) {
        if (requestId == null) {
            return new Outcome(allocate(batchId, count, allocatedBy), false);
        }
        Optional<Allocation> earlier = claimRequestId(batchId, count, allocatedBy, requestId);
        if (earlier.isPresent()) {
            return new Outcome(earlier.get(), true);
        }
        Allocation allocation = allocate(batchId, count, allocatedBy);
        entityManager.createNativeQuery("update allocation_request set allocation_id = ?1 "
                + "where requested_by = ?2 and request_id = ?3").setParameter(1, allocation.id())
                .setParameter(2, allocatedBy).setParameter(3, requestId).executeUpdate();
        return new Outcome(allocation, false);
    }

    /**
     * Writes the request id before any code, or finds the allocation it was first used for. A retry
     * arriving while the first request still runs waits on the row's key until that one commits.
     */
    private Optional<Allocation> claimRequestId(long batchId, int count, String allocatedBy, String requestId) {
        int claimed = entityManager.createNativeQuery("insert into allocation_request (requested_by, request_id, "
                + "batch_id, code_count, created_at) values (?1, ?2, ?3, ?4, ?5) on conflict do nothing")
                .setParameter(1, allocatedBy).setParameter(2, requestId).setParameter(3, batchId)
                .setParameter(4, count).setParameter(5, OffsetDateTime.now(ZoneOffset.UTC)).executeUpdate();
        if (claimed == 1) {
            return Optional.empty();
        }
        Object[] first = (Object[]) entityManager.createNativeQuery("select batch_id, code_count, allocation_id "
                + "from allocation_request where requested_by = ?1 and request_id = ?2")
                .setParameter(1, allocatedBy).setParameter(2, requestId).getSingleResult();
        long firstBatch = ((Number) first[0]).longValue();
        int firstCount = ((Number) first[1]).intValue();
        if (firstBatch != batchId || firstCount != count) {
            String message = "was used before for " + firstCount + " codes of batch " + firstBatch
                    + "; send a new request id for a new allocation";
            throw new ProblemException(ProblemType.CONFLICT, "requestId: " + message + ". Nothing was allocated",
                    List.of(new Problem.Violation("requestId", message)));
        }
        CodeAllocation record = CodeAllocation.findById(((Number) first[2]).longValue());
        return Optional.of(new Allocation(record.id, record.batchId, record.codeCount, record.allocatedBy,
                record.allocatedAt));
    }

    @Transactional
    public Allocation allocate(long batchId, int count, String allocatedBy) {
        if (count < 1 || count > config.codes().maxPerAllocation()) {
            throw ProblemException.invalid("count", "must be between 1 and " + config.codes().maxPerAllocation());
        }
        Batch.require(batchId);
        long first = reserve(count);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        SerialCodec codec = keys.current();
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
        // Added in SQL, not on the loaded entity: allocations into one batch run concurrently
        // (clients, marking runs topping up), and a read-modify-write would lose theirs.
        entityManager.createNativeQuery("update batch set codes_allocated = codes_allocated + ?1 where id = ?2")
                .setParameter(1, count).setParameter(2, batchId).executeUpdate();
        CodeAllocation record = new CodeAllocation();
        record.batchId = batchId;
        record.firstCounter = first;
        record.codeCount = count;
        record.allocatedBy = allocatedBy;
        record.allocatedAt = now;
        record.keyFingerprint = codec.keyFingerprint();
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
