package io.tracemark.trace.epcis;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Fired (synchronously, inside the appending transaction) once a capture's events are in the
 * ledger, so that what is kept beside the ledger — the item view — lands with them or not at all.
 *
 * @param events the rows as written, ids and record time set, in append order
 * @param documents each event's JSON as captured, at the same index
 */
public record LedgerAppended(List<LedgerEvent> events, List<ObjectNode> documents) {
}
