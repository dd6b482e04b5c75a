package io.tracemark.trace.epcis;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A finished capture request: how many events it carried, how many were stored, and why not the rest. */
@Entity
@Table(name = "capture_job")
@Immutable
public class CaptureJob extends PanacheEntityBase {

    @Id
    public String id;

    @Column(nullable = false)
    public OffsetDateTime createdAt;

    @Column(nullable = false)
    public OffsetDateTime finishedAt;

    public boolean success;

    @Column(nullable = false)
    public String captureErrorBehaviour;

    public int eventCount;

    public int storedCount;

    /** The problems of the events that were not stored, as a JSON array of problem documents. */
    public String errors;

    @Column(nullable = false)
    public String capturedBy;
}
