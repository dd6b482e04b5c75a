package io.tracemark.trace.tracing;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a consumer is told about the code they scanned. Only a code whose item entered the ledger
 * (commissioned) is genuine: a code list that leaks before its items are made must not make fakes
 * printed with it look genuine.
 */
public enum Verdict {
    GENUINE("This code was issued by the brand's registry and its record shows nothing unusual."),
    NEVER_ISSUED("This code was not issued by the brand's registry: the product may be counterfeit."),
    NOT_IN_CIRCULATION("This code was issued by the brand's registry but no product carrying it has left the factory:"
            + " the product may be counterfeit."),
    VOIDED("This code was cancelled before the product left the factory: it should not be on a product."),
    RECALLED("This product has been recalled: do not use it, and follow the brand's recall instructions."),
    SOLD_SCANNED_FAR_AWAY("This product was already sold far from here: its code may have been copied.");

    private final String message;

    Verdict(String message) {
        this.message = message;
    }

    @JsonValue
    public String json() {
        return name().toLowerCase();
    }

    public String message() {
        return message;
    }
}
