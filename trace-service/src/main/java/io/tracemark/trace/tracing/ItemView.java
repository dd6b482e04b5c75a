package io.tracemark.trace.tracing;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of the item view (table {@code item_view}) with the containers the EPC is inside now
 * (table {@code item_parent}). See docs/item-view.md.
 *
 * <p>Mutable while a ledger append folds its events into it ({@link ItemViewWriter}); readers only
 * read it.
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

    final String epc;
    Kind kind;
    /** Steps by ledger row, in ledger order. */
    private final Map<Long, ViewStep> steps = new LinkedHashMap<>();
    private final Map<String, Parent> parents = new LinkedHashMap<>();
    OffsetDateTime unpackedAt;
    private ItemStory story;
    /** Containers entered and left since the row was read: only these are written. */
    private final Map<String, Parent> packed = new LinkedHashMap<>();
    private final Map<String, Parent> unpacked = new LinkedHashMap<>();
    private boolean rebuilt;

    ItemView(String epc, Kind kind, List<ViewStep> steps, List<Parent> parents, OffsetDateTime unpackedAt) {
        this.epc = epc;
        this.kind = kind;
        steps.forEach(this::add);
        parents.forEach(parent -> this.parents.put(parent.epc(), parent));
        this.unpackedAt = unpackedAt;
    }

    static ItemView empty(String epc, Kind kind) {
        return new ItemView(epc, kind, List.of(), List.of(), null);
    }

    /** A row made anew from the ledger: its containers replace whatever is stored for it. */
    static ItemView rebuilt(String epc, Kind kind, List<ViewStep> steps, List<Parent> parents, OffsetDateTime unpackedAt) {
        ItemView row = new ItemView(epc, kind, steps, parents, unpackedAt);
        row.rebuilt = true;
        return row;
    }

    boolean isRebuilt() {
        return rebuilt;
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
        ViewStep known = steps.get(step.row());
        if (known == null || !known.own() && step.own()) {
            steps.put(step.row(), step);
            story = null;
        }
    }

    List<ViewStep> steps() {
        List<ViewStep> ordered = new ArrayList<>(steps.values());
        ordered.sort(ViewStep.ORDER);
        return ordered;
    }

    boolean isEmpty() {
        return steps.isEmpty();
    }

    /** The fold of the row's own steps (without its containers' later ones). */
    ItemStory story() {
        if (story == null) {
            story = ItemStory.of(steps.values());
        }
        return story;
    }

    /** The newest step (ledger order), or null. */
    ViewStep last() {
        List<ViewStep> all = story().steps();
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /**
     * Whether an event at this time and row would not simply come last: it is older than the newest
     * step, or it falls at the end of a packing span this container closed (both ends of a span
     * belong to it, so the items unpacked then must see it).
     */
    boolean isLate(OffsetDateTime time, long row) {
        ViewStep last = last();
        if (last != null && ViewStep.ORDER.compare(new ViewStep(row, time, null, null, null, null, null, null, null,
                null), last) < 0) {
            return true;
        }
        return unpackedAt != null && !time.isAfter(unpackedAt);
    }

    List<Parent> parents() {
        return List.copyOf(parents.values());
    }

    Parent parent(String container) {
        return parents.get(container);
    }

    void pack(String container, OffsetDateTime since) {
        Parent span = new Parent(container, since);
        if (parents.putIfAbsent(container, span) == null) {
            packed.put(container, span);
        }
    }

    Parent unpack(String container) {
        Parent span = parents.remove(container);
        if (span != null && packed.remove(container) == null) {
            unpacked.put(container, span);
        }
        return span;
    }
}
