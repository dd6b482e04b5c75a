package io.tracemark.trace.paging;

import java.util.List;
import java.util.function.Function;

import io.quarkus.hibernate.orm.panache.PanacheQuery;

/** One page of a listing; {@code total} lets a client show "page 3 of 12". */
public record Page<T>(List<T> items, int page, int size, long total) {

    public static final String DEFAULT_SIZE = "50";
    public static final int MAX_SIZE = 500;

    public static <E, T> Page<T> of(PanacheQuery<E> query, int page, int size, Function<E, T> view) {
        List<T> items = query.page(io.quarkus.panache.common.Page.of(page, size)).list().stream().map(view).toList();
        return new Page<>(items, page, size, query.count());
    }
}
