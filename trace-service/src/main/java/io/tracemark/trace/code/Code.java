package io.tracemark.trace.code;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.tracemark.marker.verify.Grade;
import io.tracemark.trace.batch.Batch;

/**
 * One issued code. Rows are written in bulk by {@link CodeAllocator}; the entity serves look-ups
 * and state changes.
 */
@Entity
public class Code extends PanacheEntityBase {

    /** The registry counter the serial was derived from: the serial decodes back to it. */
    @Id
    public long counter;

    @Column(nullable = false, length = 20)
    public String serial;

    @ManyToOne(optional = false, fetch = FetchType.LAZY)
    public Batch batch;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public CodeState state;

    @Column(nullable = false)
    public OffsetDateTime stateChangedAt;

    /** The marking run that sent the code to a marker; null until one did. */
    public Long runId;

    /** The print quality the verifier measured on the mark. */
    @Enumerated(EnumType.STRING)
    public Grade grade;

    /** Why the code was voided, in the words of whoever voided it. */
    public String voidReason;

    /** How many of a batch's codes were voided for each reason, as the reasons were written. */
    public static Map<String, Long> voidReasons(long batchId) {
        Map<String, Long> reasons = new LinkedHashMap<>();
        getEntityManager().createQuery("select c.voidReason, count(c) from Code c where c.batch.id = ?1"
                + " and c.state = ?2 group by c.voidReason", Object[].class)
                .setParameter(1, batchId).setParameter(2, CodeState.VOIDED).getResultList()
                .forEach(row -> reasons.put((String) row[0], (Long) row[1]));
        return reasons;
    }
}
