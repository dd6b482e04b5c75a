package io.tracemark.trace.demo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one telling of the demo did: the batch, what became of its codes, and three items to scan.
 *
 * @param retold        true when the batch is one an earlier start made, told again
 * @param written       movements this telling wrote into the ledger: none when all of them were replays
 * @param voids         codes of the batch voided on the line, by reason, the most frequent first
 * @param soldItem      the Digital Link of an item sold at the first shop
 * @param shelfItem     one still on the second shop's shelf
 * @param warehouseItem one in a case the warehouse kept
 */
public record DemoReport(long batchId, String product, String lot, int items, Map<String, Long> voids, int cases,
        int sold, boolean retold, int written, String soldItem, String shelfItem, String warehouseItem) {

    public long voided() {
        return voids.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Void reasons as the registry holds them, counted by what happened: "verification failed:
     * grade D" and "verification failed: no symbol found" are one reason, its detail left out.
     */
    static Map<String, Long> byReason(Map<String, Long> stored) {
        Map<String, Long> counted = stored.entrySet().stream().collect(Collectors.groupingBy(
                entry -> head(entry.getKey()), Collectors.summingLong(Map.Entry::getValue)));
        return counted.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, Long::sum, LinkedHashMap::new));
    }

    private static String head(String reason) {
        if (reason == null || reason.isBlank()) {
            return "no reason given";
        }
        int detail = reason.indexOf(": ");
        return (detail < 0 ? reason : reason.substring(0, detail)).strip();
    }
}
