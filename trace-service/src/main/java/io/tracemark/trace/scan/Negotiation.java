package io.tracemark.trace.scan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import jakarta.ws.rs.core.MediaType;

/**
 * What a client of the public scan endpoints asked for: a page (browsers), JSON (apps, and
 * clients that name nothing in particular) or a GS1 linkset; and in which language.
 */
public final class Negotiation {

    public static final MediaType LINKSET = new MediaType("application", "linkset+json");

    /** The languages the pages are written in; the first is the fallback. */
    static final List<Locale> LANGUAGES = List.of(Locale.ENGLISH, Locale.CHINESE);

    public enum Representation {
        HTML, JSON, LINKSET
    }

    private Negotiation() {
    }

    /**
     * The representation the client prefers, by quality: HTML for text/html or xhtml, a linkset
     * for application/linkset+json, JSON for any other JSON and for wildcards alone.
     */
    public static Representation representation(List<MediaType> acceptable) {
        for (MediaType type : acceptable) {
            if (type.isCompatible(LINKSET) && !type.isWildcardSubtype()) {
                return Representation.LINKSET;
            }
            String subtype = type.getSubtype().toLowerCase(Locale.ROOT);
            if (type.isWildcardType()) {
                return Representation.JSON;
            }
            if ("text".equalsIgnoreCase(type.getType()) || subtype.equals("xhtml+xml")) {
                return Representation.HTML;
            }
            if (subtype.equals("json") || subtype.endsWith("+json")) {
                return Representation.JSON;
            }
        }
        return Representation.JSON;
    }

    /** The media types of an Accept header, most wanted first, for code outside the REST layer. */
    static List<MediaType> acceptable(String accept) {
        if (accept == null || accept.isBlank()) {
            return List.of();
        }
        List<MediaType> types = new ArrayList<>();
        for (String part : accept.split(",")) {
            try {
                types.add(MediaType.valueOf(part.strip()));
            } catch (IllegalArgumentException malformed) {
                // One unreadable entry should not cost the client the others.
            }
        }
        types.sort(Comparator.comparingDouble(Negotiation::quality).reversed());
        return types;
    }

    private static double quality(MediaType type) {
        try {
            return Double.parseDouble(type.getParameters().getOrDefault("q", "1"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The consumer's paths: a code's own URL and scan by photo. */
    static boolean isConsumerPath(String path) {
        return path.startsWith("/01/") || path.equals("/scan") || path.startsWith("/scan/");
    }

    public static boolean wantsHtml(List<MediaType> acceptable) {
        return representation(acceptable) == Representation.HTML;
    }

    /** English or Chinese, as Accept-Language prefers; English when it names neither. */
    public static Locale language(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank()) {
            return LANGUAGES.get(0);
        }
        try {
            for (Locale.LanguageRange range : Locale.LanguageRange.parse(acceptLanguage)) {
                String wanted = range.getRange().toLowerCase(Locale.ROOT);
                for (Locale language : LANGUAGES) {
                    if (wanted.equals(language.getLanguage()) || wanted.startsWith(language.getLanguage() + "-")) {
                        return language;
                    }
                }
            }
        } catch (IllegalArgumentException malformed) {
            // A header no browser would send: the page is still worth showing, in English.
        }
        return LANGUAGES.get(0);
    }
}
