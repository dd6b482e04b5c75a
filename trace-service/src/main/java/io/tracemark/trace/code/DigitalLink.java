package io.tracemark.trace.code;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tracemark.trace.gs1.Gs1Keys;

/**
 * The identity an item carries: GTIN, optional lot and serial, written as a GS1 Digital Link URI
 * (what the QR code holds) or as a GS1 element string (what a Data Matrix holds).
 */
public record DigitalLink(String gtin14, String lot, String serial) {

    private static final Pattern PATH = Pattern.compile(
            "(?:.*?)/01/(\\d{8,14})(?:/10/([^/?#]{1,20}))?/21/([^/?#]{1,20})/?(?:[?#].*)?");
    /** Lot and serial as in a URI path: no separator, so that {@link #uri} names the same code. */
    private static final Pattern ELEMENT_STRING = Pattern.compile(
            "\\(01\\)(\\d{14})(?:\\(10\\)([^()/?#]{1,20}))?\\(21\\)([^()/?#]{1,20})");

    /** The URI under the given resolver, e.g. https://id.example.com/01/09506000134352/21/SERIAL */
    public String uri(String resolverBaseUrl, boolean withLot) {
        String base = resolverBaseUrl.endsWith("/") ? resolverBaseUrl.substring(0, resolverBaseUrl.length() - 1)
                : resolverBaseUrl;
        StringBuilder uri = new StringBuilder(base.length() + 64).append(base).append("/01/").append(gtin14);
        if (withLot && lot != null) {
            uri.append("/10/").append(lot);
        }
        return uri.append("/21/").append(serial).toString();
    }

    /** Human-readable GS1 element string, e.g. (01)09506000134352(10)L1(21)SERIAL */
    public String elementString() {
        return "(01)" + gtin14 + (lot == null ? "" : "(10)" + lot) + "(21)" + serial;
    }

    /**
     * Reads a Digital Link URI, a bracketed element string or nothing else. The GTIN's check digit
     * must be right; the serial is returned as written.
     */
    public static Optional<DigitalLink> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String trimmed = text.strip();
        Matcher matcher = ELEMENT_STRING.matcher(trimmed);
        if (!matcher.matches()) {
            if (!trimmed.contains("/01/")) {
                return Optional.empty();
            }
            String path;
            try {
                URI uri = URI.create(trimmed);
                path = uri.getRawPath() == null ? trimmed : uri.getRawPath();
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            matcher = PATH.matcher(path);
            if (!matcher.matches()) {
                return Optional.empty();
            }
        }
        Matcher found = matcher;
        return Gs1Keys.gtin14(found.group(1)).map(gtin -> new DigitalLink(gtin, found.group(2), found.group(3)));
    }
}
