package io.tracemark.trace.marking;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;

import io.quarkus.hibernate.orm.panache.PanacheEntity;
import io.tracemark.marker.pipeline.StationState;

/**
 * One run of a line's marker over one batch: mark {@link #target} good items, then finish. The
 * code counts are written by {@link RegistryMarkingPort} with each code's step; the rest is the
 * pipeline's last reported status.
 */
@Entity
public class MarkingRun extends PanacheEntity {

    @Column(nullable = false)
    public long batchId;

    @Column(nullable = false)
    public long lineId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public RunDriver driver = RunDriver.SERVICE;

    /** The line's id while the run is active, null afterwards: unique, so one active run per line. */
    public Long activeLineId;

    @Column(nullable = false)
    public long target;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public RunState state;

    /** The first counter this run claimed; with {@link #claimCursor}, the range of its codes. */
    public Long firstCounter;

    /** Claims continue from this counter: every code of the batch below it was claimed already. */
    @Column(nullable = false)
    public long claimCursor;

    @Column(nullable = false)
    public long sent;
    @Column(nullable = false)
    public long marked;
    @Column(nullable = false)
    public long verified;
    @Column(nullable = false)
    public long voided;
    @Column(nullable = false)
    public long released;

    @Enumerated(EnumType.STRING)
    public StationState stationState;

    @Column(nullable = false)
    public int markerQueue;

    @Column(nullable = false)
    public double itemsPerSecond;

    /** The marker's alarms, one per line. */
    public String alarms;

    /** Why the run failed, when it did. */
    public String failure;

    @Column(nullable = false)
    public String startedBy;

    @Column(nullable = false)
    public OffsetDateTime createdAt;

    @Column(nullable = false)
    public OffsetDateTime updatedAt;

    public OffsetDateTime finishedAt;

    /**
     * The run, locked until the transaction ends, or null. The lock is plain SQL: the clause
     * Hibernate derives from the PostgreSQL dialect ({@code for no key update}) is one the embedded
     * H2 database refuses, and both accept {@code for update}.
     */
    public static MarkingRun lockedById(long id) {
        boolean exists = !getEntityManager().createNativeQuery("select id from marking_run where id = ?1 for update")
                .setParameter(1, id).getResultList().isEmpty();
        return exists ? findById(id) : null;
    }

    public static boolean activeOnLine(long lineId) {
        return count("activeLineId", lineId) > 0;
    }
}
