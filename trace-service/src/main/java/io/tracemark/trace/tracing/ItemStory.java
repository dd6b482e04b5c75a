package io.tracemark.trace.tracing;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An item's state folded from the steps of its trace, in ledger order: the one fold behind the
 * consumer's page, the regulator's summaries and the batch streams, whether the steps come from
 * the item view or from the full trace of the ledger ({@link Journey}). Places are identifiers
 * (canonical GS1 Digital Link URIs, or text as written); readers resolve them to sites.
 *
 * @param steps every step, once each, in ledger order
 * @param commissionedAt the first commissioning among the EPC's own events
 * @param custodian the last party or place an event handed the item to
 * @param since the time of the last step; null when there is none
 * @param recallReasons the reasons of the recalls that reached the item, in order, each once
 */
record ItemStory(List<ViewStep> steps, OffsetDateTime commissionedAt, String disposition, String bizStep,
        String location, String custodian, OffsetDateTime since, ViewStep sale, OffsetDateTime recalledAt,
        List<String> recallReasons) {

    static final ItemStory NONE = of(List.of());

    boolean recalled() {
        return recalledAt != null;
    }

    /** The story of the given steps; a step met twice (same ledger row) counts once. */
    static ItemStory of(Collection<ViewStep> unordered) {
        Map<Long, ViewStep> byRow = new LinkedHashMap<>();
        for (ViewStep step : unordered) {
            ViewStep known = byRow.putIfAbsent(step.row(), step);
            if (known != null && !known.own() && step.own()) {
                byRow.put(step.row(), step);
            }
        }
        List<ViewStep> steps = new ArrayList<>(byRow.values());
        steps.sort(ViewStep.ORDER);
        Summary summary = Summary.NONE;
        ViewStep sale = null;
        List<String> reasons = new ArrayList<>();
        for (ViewStep step : steps) {
            summary = summary.then(step);
            sale = step.isSale() ? step : sale;
            if (step.isRecall() && step.reason() != null && !reasons.contains(step.reason())) {
                reasons.add(step.reason());
            }
        }
        return new ItemStory(List.copyOf(steps), summary.commissionedAt(), summary.disposition(), summary.bizStep(),
                summary.location(), summary.custodian(), summary.since(), sale, summary.recalledAt(),
                List.copyOf(reasons));
    }

    /**
     * The fold of steps in ledger order without the steps themselves: what the item view's summary
     * columns hold of a row. A row whose new step comes after its last is summed up from its columns
     * and that step, without reading its earlier steps.
     *
     * @param since the time of the last step; null when there is none
     * @param lastRow the ledger row of the last step
     */
    record Summary(OffsetDateTime since, long lastRow, OffsetDateTime commissionedAt, String disposition,
            String bizStep, String location, String custodian, OffsetDateTime soldAt, String soldPlace,
            OffsetDateTime recalledAt) {

        static final Summary NONE = new Summary(null, 0, null, null, null, null, null, null, null, null);

        /** The summary of steps given in ledger order. */
        static Summary of(List<ViewStep> ordered) {
            Summary summary = NONE;
            for (ViewStep step : ordered) {
                summary = summary.then(step);
            }
            return summary;
        }

        /** The summary once a step that comes after the last one is folded in. */
        Summary then(ViewStep step) {
            boolean commissioning = commissionedAt == null && step.own() && "commissioning".equals(step.bizStep());
            boolean sale = step.isSale();
            return new Summary(step.time(), step.row(), commissioning ? step.time() : commissionedAt,
                    step.disposition() != null ? step.disposition() : disposition,
                    step.bizStep() != null ? step.bizStep() : bizStep,
                    step.place() != null ? step.place() : location, ItemStory.custodian(step, custodian),
                    sale ? step.time() : soldAt, sale ? step.place() : soldPlace,
                    recalledAt == null && step.isRecall() ? step.time() : recalledAt);
        }

        /** Whether a step at this time and row comes after every step folded so far (ledger order). */
        boolean comesAfterLast(OffsetDateTime time, long row) {
            return since == null || compareToLast(time, row) > 0;
        }

        /** Whether a step at this time and row comes before the last step folded (ledger order). */
        boolean comesBeforeLast(OffsetDateTime time, long row) {
            return since != null && compareToLast(time, row) < 0;
        }

        private int compareToLast(OffsetDateTime time, long row) {
            int byTime = time.compareTo(since);
            return byTime != 0 ? byTime : Long.compare(row, lastRow);
        }

        boolean isEmpty() {
            return since == null;
        }
    }

    /**
     * Who holds the item after the step: the last possessing or owning party or location it was sent
     * to, or the business location of a receiving.
     */
    private static String custodian(ViewStep step, String before) {
        String custodian = before;
        for (List<String> destination : step.destinationList()) {
            String type = destination.get(0);
            if (type != null && (type.endsWith("possessing_party") || type.endsWith("owning_party")
                    || type.endsWith("location"))) {
                custodian = destination.get(1);
            }
        }
        if ("receiving".equals(step.bizStep()) && step.bizLocation() != null) {
            custodian = step.bizLocation();
        }
        return custodian;
    }
}
