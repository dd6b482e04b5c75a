package io.tracemark.trace.code;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/** The record of one allocation: who asked for how many codes of which batch, when, and under which key. */
@Entity
public class CodeAllocation extends PanacheEntity {

    @Column(nullable = false)
    public long batchId;

    @Column(nullable = false)
    public long firstCounter;

    @Column(nullable = false)
    public int codeCount;

    @Column(nullable = false)
    public String allocatedBy;

    @Column(nullable = false)
    public OffsetDateTime allocatedAt;

    /** The serial key the codes were derived under: that key must stay among the configured ones. */
    @Column(nullable = false)
    public String keyFingerprint;
}
