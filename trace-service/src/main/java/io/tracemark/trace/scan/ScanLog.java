package io.tracemark.trace.scan;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;

/**
 * Consumer scans, written behind the answer: a request hands its scan over and is answered at once;
 * one writer thread writes the scans in groups, one multi-row INSERT per group, when a group is
 * full ({@code tracemark.scan.log.max-batch}) or its oldest scan has waited
 * {@code tracemark.scan.log.max-delay}. The same SQL runs on PostgreSQL and on the embedded H2.
 * <p>
 * Bounded: at most {@code tracemark.scan.log.capacity} scans are held at once, written or not.
 * When all are taken (the database is slower than the scans arrive, or down), a request writes its
 * own scan before it is answered, in its own transaction when it has one; if that fails, the
 * request fails. A scan that was answered is therefore written, or still held, never dropped.
 * <p>
 * A failing database keeps the held scans: the writer retries with a backoff doubling from 0.2 s
 * to 10 s, and logs the outage once when it begins and once when it ends. A plain loop: the retry
 * must go on as long as the outage lasts and wake at once on shutdown, which is less than what a
 * retry library would add. A group the database refuses for its data (SQL states 22 and 23) is
 * written scan by scan, so that one bad scan, dropped with an error, never holds back the others.
 * <p>
 * A graceful stop writes every held scan on Quarkus' {@link ShutdownEvent}, whose observers run
 * while the datasource is still open (Agroal closes with the bean container after them; a
 * {@code @PreDestroy} has no such order). Scans recorded after that are written by their requests.
 * A hard kill loses the held scans: normally those of the last max-delay, never more than the
 * capacity (docs/scan-page.md).
 */
@Startup
@ApplicationScoped
public class ScanLog {

    private static final Logger LOG = Logger.getLogger(ScanLog.class);
    private static final int COLUMNS = 7;
    /** PostgreSQL takes at most 65,535 parameters in one statement. */
    static final int MAX_BATCH_LIMIT = 65_535 / COLUMNS;
    private static final String INSERT = "insert into scan (serial, gtin, scanned_at, latitude, longitude, country,"
            + " verdict) values ";
    private static final String ROW = "(?, ?, ?, ?, ?, ?, ?)";
    private static final long FIRST_RETRY_MILLIS = 200;
    private static final long LAST_RETRY_MILLIS = 10_000;
    /** Longest flush() waits: a database down for longer fails the flush, not the rows. */
    private static final Duration FLUSH_LIMIT = Duration.ofSeconds(30);
    private static final long NONE = Long.MIN_VALUE;

    /** What the writer takes from its queue: a scan, a flush waiting for it, or the end. */
    private sealed interface Entry permits Held, FlushMark, Stop {
    }

    private record Held(ScanRecord scan, long heldSince) implements Entry {
    }

    private record FlushMark(CompletableFuture<Void> written) implements Entry {
    }

    private record Stop() implements Entry {
    }

    private final DataSource dataSource;
    private final int maxBatch;
    private final long maxDelayNanos;
    private final int capacity;
    private final Duration shutdownTimeout;

    /** One permit per scan that may still be held; a permit comes back when its scan is written. */
    private final Semaphore room;
    private final BlockingQueue<Entry> queue = new LinkedBlockingQueue<>();
    /** Taken shared to queue a scan, exclusively to close: nothing is queued behind the end. */
    private final ReadWriteLock accepting = new ReentrantReadWriteLock();
    private volatile boolean closed;
    private volatile long giveUpAt;
    /** Counted down on close: a writer waiting to retry tries again at once. */
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread writer;

    /** When the first scan of the group being written was held, or NONE. */
    private volatile long groupSince = NONE;
    // The writer thread's own.
    private long outageSince = NONE;
    private int failedAttempts;
    private long retryMillis = FIRST_RETRY_MILLIS;

    private final Counter written;
    private final Counter groups;
    private final Counter failures;
    private final Counter direct;
    private final Counter rejected;

    @Inject
    public ScanLog(AgroalDataSource dataSource, ScanConfig config, MeterRegistry meters) {
        this(dataSource, config.log(), meters);
    }

    ScanLog(DataSource dataSource, ScanConfig.Log settings, MeterRegistry meters) {
        if (settings.maxBatch() < 1 || settings.maxBatch() > MAX_BATCH_LIMIT) {
            throw new IllegalArgumentException("tracemark.scan.log.max-batch must be between 1 and " + MAX_BATCH_LIMIT
                    + ", not " + settings.maxBatch());
        }
        if (settings.capacity() < 1) {
            throw new IllegalArgumentException("tracemark.scan.log.capacity must be at least 1, not "
                    + settings.capacity());
        }
        if (settings.maxDelay().isNegative() || settings.shutdownTimeout().isNegative()) {
            throw new IllegalArgumentException("tracemark.scan.log.max-delay and shutdown-timeout cannot be negative");
        }
        this.dataSource = dataSource;
        this.maxBatch = settings.maxBatch();
        this.maxDelayNanos = settings.maxDelay().toNanos();
        this.capacity = settings.capacity();
        this.shutdownTimeout = settings.shutdownTimeout();
        this.room = new Semaphore(capacity);
        Gauge.builder("tracemark.scan.log.held", this, ScanLog::held).baseUnit("rows")
                .description("Scans held in memory, not written yet").register(meters);
        Gauge.builder("tracemark.scan.log.oldest.age", this, ScanLog::oldestAgeSeconds).baseUnit("seconds")
                .description("How long the oldest scan held has waited").register(meters);
        this.written = Counter.builder("tracemark.scan.log.written").baseUnit("rows")
                .description("Scans written by the scan log's writer").register(meters);
        this.groups = Counter.builder("tracemark.scan.log.groups")
                .description("Groups of scans written, one INSERT statement each").register(meters);
        this.failures = Counter.builder("tracemark.scan.log.failures")
                .description("Group writes that failed; their scans are kept and written again").register(meters);
        this.direct = Counter.builder("tracemark.scan.log.direct").baseUnit("rows")
                .description("Scans their requests wrote themselves: the log was full or closed").register(meters);
        this.rejected = Counter.builder("tracemark.scan.log.rejected").baseUnit("rows")
                .description("Scans the database refused for their data, dropped with an error").register(meters);
        this.writer = new Thread(this::run, "scan-log-writer");
        // A daemon: a writer stuck on a dead database must not keep a stopping JVM alive.
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Records a scan: held for the writer, or written by the caller when the log is full or
     * closed (then in the caller's transaction, if it has one). Throws when that write fails, so
     * that the scan's request fails rather than answering a scan nobody recorded.
     */
    public void record(ScanRecord scan) {
        Objects.requireNonNull(scan, "scan");
        Lock shared = accepting.readLock();
        shared.lock();
        try {
            if (!closed && room.tryAcquire()) {
                queue.add(new Held(scan, System.nanoTime()));
                return;
            }
        } finally {
            shared.unlock();
        }
        try (Connection connection = dataSource.getConnection()) {
            insert(connection, List.of(scan));
            direct.increment();
        } catch (SQLException e) {
            throw new IllegalStateException("The scan could not be recorded", e);
        }
    }

    /**
     * Writes every scan recorded before the call and returns once they are committed: for tests,
     * and for a reader that must see its own instance's latest scans. Throws when the database did
     * not take them within 30 s; they stay held.
     */
    public void flush() {
        FlushMark mark = new FlushMark(new CompletableFuture<>());
        boolean queued;
        Lock shared = accepting.readLock();
        shared.lock();
        try {
            queued = !closed;
            if (queued) {
                queue.add(mark);
            }
        } finally {
            shared.unlock();
        }
        try {
            if (queued) {
                mark.written().get(FLUSH_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            } else {
                writer.join(FLUSH_LIMIT.toMillis());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("The scans held were not written within " + FLUSH_LIMIT.toSeconds()
                    + " s: the database does not take them", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("The scans held were not written", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while the scans held were written", e);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        close();
    }

    /**
     * Stops taking scans and writes every held one before it returns, waiting at most
     * {@code shutdown-timeout} for a database that fails meanwhile. Later scans are written by
     * their requests.
     */
    void close() {
        Lock exclusive = accepting.writeLock();
        exclusive.lock();
        try {
            if (closed) {
                return;
            }
            giveUpAt = System.nanoTime() + shutdownTimeout.toNanos();
            closed = true;
            queue.add(new Stop());
        } finally {
            exclusive.unlock();
        }
        closing.countDown();
        try {
            writer.join(shutdownTimeout.plusSeconds(1).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            // Stuck in a write the database does not answer: the stop goes on without it.
            LOG.errorf("%d scans were still held when the stop stopped waiting for the database; they are lost",
                    held());
        }
    }

    /** Scans held, written or not. */
    int held() {
        return capacity - room.availablePermits();
    }

    /** How long the oldest scan held has waited, in seconds; 0 when none is held. */
    double oldestAgeSeconds() {
        long since = groupSince;
        if (since == NONE) {
            for (Entry entry : queue) {
                if (entry instanceof Held held) {
                    since = held.heldSince();
                    break;
                }
            }
        }
        return since == NONE ? 0 : Math.max(0, System.nanoTime() - since) / 1e9;
    }

    private void run() {
        List<Held> group = new ArrayList<>();
        List<FlushMark> flushes = new ArrayList<>();
        boolean stop = false;
        try {
            while (!stop) {
                stop = collect(group, flushes);
                if (!group.isEmpty() && !write(group)) {
                    lost(group.size());
                    return;
                }
                group.clear();
                groupSince = NONE;
                flushes.forEach(flush -> flush.written().complete(null));
                flushes.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lost(group.size());
        } catch (RuntimeException | Error e) {
            LOG.error("The scan log's writer failed; requests write their scans themselves from now on", e);
            Lock exclusive = accepting.writeLock();
            exclusive.lock();
            closed = true;
            exclusive.unlock();
            lost(group.size());
            throw e;
        } finally {
            IllegalStateException stopped = new IllegalStateException("The scan log stopped before these were written");
            flushes.forEach(flush -> flush.written().completeExceptionally(stopped));
            queue.forEach(entry -> {
                if (entry instanceof FlushMark flush) {
                    flush.written().completeExceptionally(stopped);
                }
            });
        }
    }

    /**
     * Fills the group until it is full, its first scan has waited max-delay, a flush asks for it or
     * the log closes; true on close, once everything queued before it is in the group.
     */
    private boolean collect(List<Held> group, List<FlushMark> flushes) throws InterruptedException {
        while (group.size() < maxBatch) {
            Entry next;
            if (group.isEmpty()) {
                next = queue.take();
            } else {
                long wait = group.get(0).heldSince() + maxDelayNanos - System.nanoTime();
                next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
                if (next == null) {
                    return false;
                }
            }
            if (next instanceof Held held) {
                if (group.isEmpty()) {
                    groupSince = held.heldSince();
                }
                group.add(held);
            } else if (next instanceof FlushMark flush) {
                flushes.add(flush);
                return false;
            } else {
                return true;
            }
        }
        return false;
    }

    /**
     * Writes the group, retrying while the database fails; false when the log closed and time ran
     * out, with the scans not written left in the group.
     */
    private boolean write(List<Held> group) throws InterruptedException {
        while (true) {
            try (Connection connection = dataSource.getConnection()) {
                insert(connection, group.stream().map(Held::scan).toList());
                ended();
                groups.increment();
                written.increment(group.size());
                room.release(group.size());
                return true;
            } catch (SQLException | RuntimeException e) {
                failures.increment();
                if (refusedData(e)) {
                    return writeEachAlone(group, e);
                }
                began(e);
                if (!pauseBeforeRetry()) {
                    return false;
                }
            }
        }
    }

    /**
     * A group the database refused for its data: each scan alone, so that only a bad one is
     * dropped. Scans written leave the group; false, as from write, leaves the rest in it.
     */
    private boolean writeEachAlone(List<Held> group, Exception refusal) throws InterruptedException {
        if (group.size() == 1) {
            LOG.errorf(refusal, "The database refuses a scan, which is dropped: %s", group.get(0).scan());
            rejected.increment();
            room.release(1);
            return true;
        }
        while (!group.isEmpty()) {
            if (!write(List.of(group.get(0)))) {
                return false;
            }
            group.remove(0);
        }
        return true;
    }

    private static boolean refusedData(Exception failure) {
        String state = failure instanceof SQLException sql ? sql.getSQLState() : null;
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    /** A failure: the first of an outage is logged, the rest only counted. */
    private void began(Exception failure) {
        failedAttempts++;
        if (outageSince == NONE) {
            outageSince = System.nanoTime();
            LOG.warnf(failure, "Scans cannot be written (%d held): they stay held, at most %d, and are written"
                    + " when the database takes them again; retrying with backoff", held(), capacity);
        }
    }

    /** A write went through: the end of an outage is logged once. */
    private void ended() {
        if (outageSince != NONE) {
            LOG.infof("Scans are written again, after %d s and %d failed attempts",
                    (System.nanoTime() - outageSince) / 1_000_000_000L, failedAttempts);
            outageSince = NONE;
        }
        failedAttempts = 0;
        retryMillis = FIRST_RETRY_MILLIS;
    }

    /**
     * Waits before the next attempt, the wait doubling each time; a close cuts the wait short once,
     * then the waits run until the shutdown timeout. False when that timeout has passed.
     */
    private boolean pauseBeforeRetry() throws InterruptedException {
        long pause = retryMillis;
        retryMillis = Math.min(retryMillis * 2, LAST_RETRY_MILLIS);
        if (!closed) {
            closing.await(pause, TimeUnit.MILLISECONDS);
            return true;
        }
        long left = TimeUnit.NANOSECONDS.toMillis(giveUpAt - System.nanoTime());
        if (left <= 0) {
            return false;
        }
        Thread.sleep(Math.min(pause, left));
        return true;
    }

    /** The writer gives up: the scans it holds are lost, said aloud with their number. */
    private void lost(int inGroup) {
        int queued = 0;
        for (Entry entry : queue) {
            if (entry instanceof Held) {
                queued++;
            }
        }
        if (inGroup + queued > 0) {
            LOG.errorf("%d scans could not be written before the scan log stopped: the database did not take them"
                    + " within %d ms; they are lost", inGroup + queued, shutdownTimeout.toMillis());
        }
    }

    /** One multi-row INSERT: the statement PostgreSQL and H2 both take; ids come from the column's default. */
    private static void insert(Connection connection, List<ScanRecord> scans) throws SQLException {
        StringBuilder sql = new StringBuilder(INSERT.length() + scans.size() * (ROW.length() + 2)).append(INSERT);
        for (int i = 0; i < scans.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(ROW);
        }
        try (PreparedStatement insert = connection.prepareStatement(sql.toString())) {
            int p = 1;
            for (ScanRecord scan : scans) {
                insert.setString(p++, scan.serial());
                insert.setString(p++, scan.gtin());
                insert.setObject(p++, scan.scannedAt());
                insert.setBigDecimal(p++, scan.latitude());
                insert.setBigDecimal(p++, scan.longitude());
                insert.setString(p++, scan.country());
                insert.setString(p++, scan.verdict());
            }
            insert.executeUpdate();
        }
    }
}
