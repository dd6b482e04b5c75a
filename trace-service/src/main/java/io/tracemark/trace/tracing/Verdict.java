package io.tracemark.trace.tracing;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a consumer is told about the code they scanned. */
public enum Verdict {
    GENUINE("This code was issued by the brand's registry and its record shows nothing unusual."),
    NEVER_ISSUED("This code was not issued by the brand's registry: the product may be counterfeit."),
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
