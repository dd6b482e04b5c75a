package io.tracemark.trace.tracing;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One row of the item view (table {@code item_view}) with the containers the EPC is inside now
 * (table {@code item_parent}). See docs/item-view.md.
 *
 * <p>Mutable while a ledger append folds its events into it ({@link ItemViewWriter}); readers only
 * read it.
 *
 * <p>A row's steps are rows of {@code item_step}, written once each. A row may be read without
 * them: most appends only add a step that comes after the row's last, which its summary columns take
 * in ({@link ItemStory.Summary}) and {@code item_step} gets as one more row. A capture of a thousand
 * events then neither reads nor writes again the thousand rows' earlier steps. Anything that needs
 * the steps one by one reads them then ({@link StepSource}), unless the reader read them with the row.
 */
final class ItemView {

    enum Kind {
        ITEM, CONTAINER, CLASS;

        String column() {
            return name().toLowerCase();
        }

        static Kind of(String column) {
            return valueOf(column.toUpperCase());
        }
    }

    /** A container the EPC is inside, since its packing event's time. */
    record Parent(String epc, OffsetDateTime since) {
    }

    /** Where a row read without its steps gets them when it needs them. */
    interface StepSource {
        List<ViewStep> steps(String epc);
    }

    final String epc;
    Kind kind;
    /** Steps by ledger row; null while the stored steps are not read. */
    private Map<Long, ViewStep> steps;
    private final StepSource source;
    /** Steps added after the last stored one, in ledger order, while the stored ones are not read. */
    private final List<ViewStep> appended = new ArrayList<>();
    /** The ledger rows of the steps item_step holds for the EPC, once read. */
    private final Set<Long> stored = new HashSet<>();
    /** The ledger rows of steps added or replaced since the stored ones were read. */
    private final Set<Long> changed = new LinkedHashSet<>();
    /** The fold of every step: resumed from the row's columns, or taken over all steps once they are read. */
    private ItemStory.Summary summary;
    private final Map<String, Parent> parents = new LinkedHashMap<>();
    /** Whether the containers differ from those stored (or are not known to be stored). */
    private boolean parentsChanged;
    OffsetDateTime unpackedAt;
    /** Containers entered and left since the row was read: only these are written. */
    private final Map<String, Parent> packed = new LinkedHashMap<>();
    private final Map<String, Parent> unpacked = new LinkedHashMap<>();
    private boolean rebuilt;

    /** A row of these steps and containers, written whole when saved. */
    private ItemView(String epc, Kind kind, List<ViewStep> steps, List<Parent> parents, OffsetDateTime unpackedAt) {
        this.epc = epc;
        this.kind = kind;
        this.source = null;
        this.steps = new LinkedHashMap<>();
        steps.forEach(this::add);
        parents.forEach(parent -> this.parents.put(parent.epc(), parent));
        this.parentsChanged = true;
        this.unpackedAt = unpackedAt;
    }

    private ItemView(String epc, Kind kind, StepSource source, ItemStory.Summary summary, List<Parent> parents,
            OffsetDateTime unpackedAt) {
        this.epc = epc;
        this.kind = kind;
        this.source = source;
        this.summary = summary;
        parents.forEach(parent -> this.parents.put(parent.epc(), parent));
        this.unpackedAt = unpackedAt;
    }

    /**
     * A row as stored: its summary columns and containers, and its steps if they were read with it
     * (null if not: the source reads them when needed).
     */
    static ItemView stored(String epc, Kind kind, List<ViewStep> steps, StepSource source, ItemStory.Summary summary,
            List<Parent> parents, OffsetDateTime unpackedAt) {
        ItemView row = new ItemView(epc, kind, source, summary, parents, unpackedAt);
        if (steps != null) {
            row.readFrom(steps);
        }
        return row;
    }

    /** A row for an EPC the view does not hold yet; its containers are written with it. */
    static ItemView empty(String epc, Kind kind) {
        ItemView row = new ItemView(epc, kind, null, ItemStory.Summary.NONE, List.of(), null);
        row.steps = new LinkedHashMap<>();
        row.parentsChanged = true;
        return row;
    }

    /** A row made anew from the ledger: its steps and containers replace whatever is stored for it. */
    static ItemView rebuilt(String epc, Kind kind, List<ViewStep> steps, List<Parent> parents, OffsetDateTime unpackedAt) {
        ItemView row = new ItemView(epc, kind, steps, parents, unpackedAt);
        row.rebuilt = true;
        return row;
    }

    boolean isRebuilt() {
        return rebuilt;
    }

    /** Whether the stored steps were read (with the row, or since). */
    boolean hasSteps() {
        return steps != null;
    }

    /** The containers entered since the row was read (all of them, for a rebuilt row). */
    List<Parent> packed() {
        return rebuilt ? parents() : List.copyOf(packed.values());
    }

    /** The containers left since the row was read, among those it was stored with. */
    List<Parent> unpacked() {
        return List.copyOf(unpacked.values());
    }

    /** Adds a step unless its event is there already; an own step replaces one met through a container. */
    void add(ViewStep step) {
        if (steps == null) {
            if (summary.comesAfterLast(step.time(), step.row())) {
                appended.add(step);
                summary = summary.then(step);
                return;
            }
            readFrom(source.steps(epc));
        }
        ViewStep known = steps.get(step.row());
        if (known == null || !known.own() && step.own()) {
            steps.put(step.row(), step);
            changed.add(step.row());
            summary = null;
        }
    }

    /** Takes the stored steps, read now or with the row; steps appended meanwhile stay new. */
    void readFrom(List<ViewStep> storedSteps) {
        if (steps != null) {
            return;
        }
        steps = new LinkedHashMap<>();
        storedSteps.forEach(step -> {
            steps.put(step.row(), step);
            stored.add(step.row());
        });
        appended.forEach(step -> {
            steps.put(step.row(), step);
            changed.add(step.row());
        });
        // The summary already folds the appended steps after the stored ones: it stands.
        appended.clear();
    }

    List<ViewStep> steps() {
        if (steps == null) {
            readFrom(source.steps(epc));
        }
        List<ViewStep> ordered = new ArrayList<>(steps.values());
        ordered.sort(ViewStep.ORDER);
        return ordered;
    }

    /** The steps to write: every one for a rebuilt row, else those added or replaced since it was read. */
    List<ViewStep> unsaved() {
        if (rebuilt) {
            return steps();
        }
        if (steps == null) {
            return List.copyOf(appended);
        }
        return changed.stream().map(steps::get).toList();
    }

    /** Whether item_step holds a step of this event for the EPC (as far as the row knows: it was read). */
    boolean isStored(long eventRow) {
        return stored.contains(eventRow);
    }

    boolean isEmpty() {
        return summary().isEmpty();
    }

    /** The fold of the row's own steps (without its containers' later ones): what its columns hold. */
    ItemStory.Summary summary() {
        if (summary == null) {
            summary = ItemStory.Summary.of(steps());
        }
        return summary;
    }

    /**
     * Whether an event at this time and row would not simply come last: it is older than the newest
     * step, or it falls at the end of a packing span this container closed (both ends of a span
     * belong to it, so the items unpacked then must see it).
     */
    boolean isLate(OffsetDateTime time, long row) {
        return summary().comesBeforeLast(time, row) || unpackedAt != null && !time.isAfter(unpackedAt);
    }

    List<Parent> parents() {
        return List.copyOf(parents.values());
    }

    Parent parent(String container) {
        return parents.get(container);
    }

    boolean parentsChanged() {
        return parentsChanged;
    }

    void pack(String container, OffsetDateTime since) {
        Parent span = new Parent(container, since);
        if (parents.putIfAbsent(container, span) == null) {
            packed.put(container, span);
            parentsChanged = true;
        }
    }

    Parent unpack(String container) {
        Parent span = parents.remove(container);
        if (span != null && packed.remove(container) == null) {
            unpacked.put(container, span);
        }
        parentsChanged |= span != null;
        return span;
    }
}
