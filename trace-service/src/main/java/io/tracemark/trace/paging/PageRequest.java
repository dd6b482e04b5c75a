package io.tracemark.trace.paging;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;

/** The {@code page} and {@code size} query parameters every listing takes. */
public class PageRequest {

    /** Far beyond any listing a person pages through, and low enough that page × size never overflows. */
    public static final int MAX_PAGE = 1_000_000;

    @QueryParam("page")
    @DefaultValue("0")
    @Min(0)
    @Max(MAX_PAGE)
    public int page;

    @QueryParam("size")
    @DefaultValue("50")
    @Min(1)
    @Max(Page.MAX_SIZE)
    public int size;
}
