package io.tracemark.trace.movement;

import java.time.OffsetDateTime;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One operation. Which fields it needs depends on the operation: {@code site} where it happens
 * (all but ship and recall), {@code from} and {@code to} for ship, {@code parent} (an SSCC) for
 * pack and unpack, {@code epcs} (item codes as printed, EPC URNs or SSCCs) for all but recall,
 * {@code receipt} for sell, {@code batchId} for recall. {@code eventTime} defaults to now.
 * {@code reason} says why a batch is recalled (recall only). Left out, it is not written at
 * all, so requests made before it existed still hash, and replay, as they did.
 */
public record MovementInput(
        @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._:-]+",
                message = "may contain letters, digits, '.', '_', ':' and '-' only") String requestId,
        Place site, Place from, Place to, @Size(max = 100) String parent,
        @Size(max = 1000, message = "may list at most 1000 codes per request") List<@Size(max = 300) String> epcs,
        @Valid Receipt receipt, Long batchId, OffsetDateTime eventTime,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Size(max = 500) String reason) {

    /** A site, by its id in Tracemark or by its GLN. */
    public record Place(Long siteId, String gln) {
    }

    /** The receipt of a sale: {@code pos} (point-of-sale receipt or payment reference) or {@code inv} (invoice). */
    public record Receipt(String type, @Size(max = 200) String reference) {
    }
}
