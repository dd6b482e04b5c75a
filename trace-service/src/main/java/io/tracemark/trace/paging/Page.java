package io.tracemark.trace.paging;

import java.util.List;
import java.util.function.Function;

import io.quarkus.hibernate.orm.panache.PanacheQuery;

/** One page of a listing; {@code total} lets a client show "page 3 of 12". */
public record Page<T>(List<T> items, int page, int size, long total) {

    public static final int MAX_SIZE = 500;

    public static <E, T> Page<T> of(PanacheQuery<E> query, PageRequest request, Function<E, T> view) {
        return of(query, request, view, query.count());
    }

    /** A page whose total the caller already knows, sparing a count over a large table. */
    public static <E, T> Page<T> of(PanacheQuery<E> query, PageRequest request, Function<E, T> view, long total) {
        List<T> items = query.page(io.quarkus.panache.common.Page.of(request.page, request.size)).list().stream()
                .map(view).toList();
        return new Page<>(items, request.page, request.size, total);
    }
}
