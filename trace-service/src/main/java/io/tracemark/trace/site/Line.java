package io.tracemark.trace.site;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.ManyToOne;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/** A production line of a factory, with its marking station. */
@Entity
public class Line extends PanacheEntity {

    @ManyToOne(optional = false, fetch = FetchType.LAZY)
    public Site site;

    /** Short name painted on the line, unique within its site, e.g. "L2". */
    @Column(nullable = false, length = 40)
    public String code;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public OffsetDateTime createdAt;
}
