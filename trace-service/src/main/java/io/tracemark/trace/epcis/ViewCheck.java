package io.tracemark.trace.epcis;

import java.util.List;

/**
 * Compares what is kept beside the ledger (the item view) with what the ledger itself says, for
 * {@code GET /epcis/ledger/verify?views=}. Implemented where the view is kept.
 */
public interface ViewCheck {

    /**
     * Compares the view with the full trace for every EPC the ledger names (sample 0), or for a
     * random sample of that many.
     */
    Comparison compare(int sample);

    /** How many EPCs were compared, how many differed, and the first differences (EPC and what differs). */
    record Comparison(long compared, long mismatched, List<Mismatch> first) {
    }

    record Mismatch(String epc, String view, String ledger) {
    }
}
