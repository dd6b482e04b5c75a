package io.tracemark.trace.demo;

/**
 * What one telling of the demo did: the batch, what became of its codes, and three items to scan.
 *
 * @param retold        true when the batch is one an earlier start made, told again
 * @param written       movements this telling wrote into the ledger: none when all of them were replays
 * @param voided        codes of the batch voided on the line (an unreadable photo voids its code)
 * @param soldItem      the Digital Link of an item sold at the first shop
 * @param shelfItem     one still on the second shop's shelf
 * @param warehouseItem one in a case the warehouse kept
 */
public record DemoReport(long batchId, String product, String lot, int items, long voided, int cases, int sold,
        boolean retold, int written, String soldItem, String shelfItem, String warehouseItem) {
}
