package io.tracemark.trace.epcis;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * One captured EPCIS event in the ledger, as read back. Immutable: rows are inserted once, by
 * {@link EventLedger#append} (ids from event_seq, see {@link LedgerRows}), and never updated;
 * corrections are new events carrying an errorDeclaration.
 */
@Entity
@Table(name = "event")
@Immutable
public class LedgerEvent extends PanacheEntityBase {

    @Id
    public Long id;

    @Column(nullable = false)
    public String eventId;

    @Column(nullable = false)
    public String eventType;

    public String action;
    public String bizStep;
    public String disposition;
    public String readPoint;
    public String bizLocation;

    @Column(nullable = false)
    public OffsetDateTime eventTime;

    @Column(nullable = false)
    public String eventTimeZoneOffset;

    @Column(nullable = false)
    public OffsetDateTime recordTime;

    public OffsetDateTime errorDeclarationTime;
    public String errorReason;

    /** Whether the event names sources, destinations or business transactions (what a journey reads of it). */
    public boolean parties;

    /** The event as captured, as compact JSON. */
    @Column(nullable = false)
    public String document;

    /** The JSON-LD @context it was captured under, as JSON. */
    public String context;

    public String captureId;

    @Column(nullable = false)
    public String capturedBy;

    /** The EPCIS event hash of the document, {@code ni:///sha-256;...?ver=CBV2.0}. */
    public String eventHash;

    /** The ledger's hash chain: the chain value of the event before this one. */
    public String previousHash;

    /** The ledger's hash chain: this event's chain value ({@link LedgerChain#link}). */
    public String chainHash;

    /** Where the event stands in the chain: 1, 2, 3, ... in append order. */
    public Long chainPosition;

    @ElementCollection
    @CollectionTable(name = "event_epc", joinColumns = @JoinColumn(name = "event_row"))
    public List<Epc> epcs = new ArrayList<>();

    @ElementCollection
    @CollectionTable(name = "event_quantity", joinColumns = @JoinColumn(name = "event_row"))
    public List<Quantity> quantities = new ArrayList<>();

    /** An EPC in canonical form and the field it came from. */
    @Embeddable
    public static class Epc {
        @Column(nullable = false)
        public String role;
        @Column(nullable = false)
        public String epc;

        public Epc() {
        }

        Epc(String role, String epc) {
            this.role = role;
            this.epc = epc;
        }
    }

    /** An EPC class in canonical form, how many of it and in which unit. */
    @Embeddable
    public static class Quantity {
        @Column(nullable = false)
        public String role;
        @Column(nullable = false)
        public String epcClass;
        public BigDecimal quantity;
        public String uom;

        public Quantity() {
        }

        Quantity(String role, String epcClass, BigDecimal quantity, String uom) {
            this.role = role;
            this.epcClass = epcClass;
            this.quantity = quantity;
            this.uom = uom;
        }
    }
}
