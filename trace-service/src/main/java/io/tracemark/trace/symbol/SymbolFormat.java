package io.tracemark.trace.symbol;

public enum SymbolFormat {
    PNG("image/png"), SVG("image/svg+xml");

    private final String mediaType;

    SymbolFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }
}
