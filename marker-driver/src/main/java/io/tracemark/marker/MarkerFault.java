package io.tracemark.marker;

/** An alarm the marker raised on its own: interlock open, laser over temperature, and the like. */
public record MarkerFault(String code, String text) {
}
