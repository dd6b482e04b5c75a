package io.tracemark.trace.scan;

import java.util.Arrays;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a consumer is told about the code they scanned. Only a code whose item entered the ledger
 * (commissioned) is genuine: a code list that leaks before its items are made must not make fakes
 * printed with it look genuine.
 */
public enum Verdict {
    GENUINE("This code was issued by the brand's registry and its record shows nothing unusual.", false),
    NEVER_ISSUED("This code was not issued by the brand's registry: the product may be counterfeit.", true),
    NOT_IN_CIRCULATION("This code was issued by the brand's registry but no product carrying it has left the factory:"
            + " the product may be counterfeit.", true),
    VOIDED("This code was cancelled before the product left the factory: it should not be on a product.", true),
    RECALLED("This product has been recalled: do not use it, and follow the brand's recall instructions.", false),
    SOLD_SCANNED_FAR_AWAY("This product was already sold far from here: its code may have been copied.", true);

    private final String message;
    private final boolean counterfeitSignal;

    Verdict(String message, boolean counterfeitSignal) {
        this.message = message;
        this.counterfeitSignal = counterfeitSignal;
    }

    /**
     * Whether a scan answered this way hints at a copied or forged code; a recalled item is
     * genuine, only unsafe.
     */
    public boolean counterfeitSignal() {
        return counterfeitSignal;
    }

    /** The verdict a scan was stored with ({@link #json()}). */
    static Optional<Verdict> stored(String json) {
        return Arrays.stream(values()).filter(verdict -> verdict.json().equals(json)).findFirst();
    }

    @JsonValue
    public String json() {
        return name().toLowerCase();
    }

    public String message() {
        return message;
    }
}
