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
 *
 * <p>A row read from the table keeps its steps as the stored text until something needs them one
 * by one: most appends only add a step that comes after the row's last, which its summary columns
 * take in ({@link ItemStory.Summary}) and its text gets at its end. A capture of a thousand events
 * then neither parses nor writes out again the thousand rows' earlier steps.
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

    /** Where a row read without its steps' text gets it when it needs it after all. */
    interface StepSource {
        String text(String epc);
    }

    final String epc;
    Kind kind;
    /** Steps by ledger row; null while the steps are {@link #text} followed by {@link #appended}. */
    private Map<Long, ViewStep> steps;
    /** The stored steps (StepCodec's JSON), until they are read one by one; null if not read with the row. */
    private String text;
    private StepSource source;
    /** Steps added after the last stored one, in ledger order, while the stored ones are not read. */
    private final List<ViewStep> appended = new ArrayList<>();
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
    ItemView(String epc, Kind kind, List<ViewStep> steps, List<Parent> parents, OffsetDateTime unpackedAt) {
        this.epc = epc;
        this.kind = kind;
        this.steps = new LinkedHashMap<>();
        steps.forEach(this::add);
        parents.forEach(parent -> this.parents.put(parent.epc(), parent));
        this.parentsChanged = true;
        this.unpackedAt = unpackedAt;
    }

    private ItemView(String epc, Kind kind, String text, ItemStory.Summary summary, List<Parent> parents,
            OffsetDateTime unpackedAt) {
        this.epc = epc;
        this.kind = kind;
        this.text = text;
        this.summary = summary;
        parents.forEach(parent -> this.parents.put(parent.epc(), parent));
        this.unpackedAt = unpackedAt;
    }

    /**
     * A row as stored: its steps' text (null when it was not read: the source reads it if it is
     * needed), its summary columns, its containers.
     */
    static ItemView stored(String epc, Kind kind, String text, StepSource source, ItemStory.Summary summary,
            List<Parent> parents, OffsetDateTime unpackedAt) {
        ItemView row = new ItemView(epc, kind, text, summary, parents, unpackedAt);
        row.source = source;
        return row;
    }

    /** Whether the steps' text was read (with the row, or since), or the steps are known one by one. */
    boolean hasSteps() {
        return steps != null || text != null;
    }

    /** Takes the stored text of a row read without it. */
    void readText(String stored) {
        if (!hasSteps()) {
            text = stored;
        }
    }

    private String text() {
        if (text == null) {
            text = source.text(epc);
        }
        return text;
    }

    /** A row for an EPC the view does not hold yet; its containers are written with it. */
    static ItemView empty(String epc, Kind kind) {
        ItemView row = new ItemView(epc, kind, StepCodec.write(List.of()), ItemStory.Summary.NONE, List.of(), null);
        row.parentsChanged = true;
        return row;
    }

    /** A row made anew from the ledger: its containers replace whatever is stored for it. */
    static ItemView rebuilt(String epc, Kind kind, List<ViewStep> steps, List<Parent> parents, OffsetDateTime unpackedAt) {
        ItemView row = new ItemView(epc, kind, steps, parents, unpackedAt);
        row.rebuilt = true;
        row.parentsChanged = true;
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
        if (steps == null) {
            if (summary.comesAfterLast(step.time(), step.row())) {
                appended.add(step);
                summary = summary.then(step);
                return;
            }
            read();
        }
        ViewStep known = steps.get(step.row());
        if (known == null || !known.own() && step.own()) {
            steps.put(step.row(), step);
            summary = null;
        }
    }

    /** Reads the stored steps one by one, from now on the row's steps. */
    private void read() {
        if (steps != null) {
            return;
        }
        steps = new LinkedHashMap<>();
        StepCodec.read(text()).forEach(step -> steps.put(step.row(), step));
        appended.forEach(step -> steps.put(step.row(), step));
        text = null;
        appended.clear();
        summary = null;
    }

    List<ViewStep> steps() {
        read();
        List<ViewStep> ordered = new ArrayList<>(steps.values());
        ordered.sort(ViewStep.ORDER);
        return ordered;
    }

    /** The steps as {@code item_view.steps} holds them. */
    String stepsText() {
        if (steps != null) {
            return StepCodec.write(steps());
        }
        return appended.isEmpty() ? text() : StepCodec.append(text(), appended);
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
