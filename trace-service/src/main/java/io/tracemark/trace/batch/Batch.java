package io.tracemark.trace.batch;

import java.time.LocalDate;
import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.ManyToOne;

import io.quarkus.hibernate.orm.panache.PanacheEntity;
import io.tracemark.trace.problem.ProblemException;
import io.tracemark.trace.product.Product;
import io.tracemark.trace.site.Line;

/** A lot of one product made on one line; codes are allocated to a batch. */
@Entity
public class Batch extends PanacheEntity {

    @ManyToOne(optional = false, fetch = FetchType.LAZY)
    public Product product;

    /** GS1 AI 10. */
    @Column(nullable = false, length = 20)
    public String lot;

    public LocalDate productionDate;

    public LocalDate expiryDate;

    @ManyToOne(optional = false, fetch = FetchType.LAZY)
    public Line line;

    @Column(nullable = false)
    public int plannedQuantity;

    /** Kept with the batch so a listing never counts a million code rows. */
    @Column(nullable = false)
    public long codesAllocated;

    @Column(nullable = false)
    public OffsetDateTime createdAt;

    /** The batch of this id; a 404 problem when there is none. */
    public static Batch require(long id) {
        return Batch.<Batch>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("Batch", id));
    }
}
