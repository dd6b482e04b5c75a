package io.tracemark.trace.console;

/**
 * One answer of the console's search: what it is (item, batch, product, site), a title, a line of
 * detail and the console page that opens it (null when there is none, e.g. a product without batches).
 */
public record SearchHit(String kind, String title, String detail, String href) {
}
