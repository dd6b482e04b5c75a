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
        OffsetDateTime commissionedAt = null;
        String disposition = null;
        String bizStep = null;
        String location = null;
        String custodian = null;
        OffsetDateTime since = null;
        ViewStep sale = null;
        OffsetDateTime recalledAt = null;
        List<String> reasons = new ArrayList<>();
        for (ViewStep step : steps) {
            if (commissionedAt == null && step.own() && "commissioning".equals(step.bizStep())) {
                commissionedAt = step.time();
            }
            disposition = step.disposition() != null ? step.disposition() : disposition;
            bizStep = step.bizStep() != null ? step.bizStep() : bizStep;
            location = step.place() != null ? step.place() : location;
            custodian = custodian(step, custodian);
            since = step.time();
            if (step.isSale()) {
                sale = step;
            }
            if (step.isRecall()) {
                recalledAt = recalledAt == null ? step.time() : recalledAt;
                if (step.reason() != null && !reasons.contains(step.reason())) {
                    reasons.add(step.reason());
                }
            }
        }
        return new ItemStory(List.copyOf(steps), commissionedAt, disposition, bizStep, location, custodian, since, sale,
                recalledAt, List.copyOf(reasons));
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
