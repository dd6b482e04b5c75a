package io.tracemark.trace.scan;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The links of a code as a GS1-Conformant resolver answers them: an RFC 9264 linkset
 * (application/linkset+json) for {@code linkType=all}, and one link for a named link type. Every
 * link leads to the code's own URL on this service, which answers a page or JSON by Accept.
 */
public final class Linkset {

    /** The JSON-LD context GS1 publishes for linksets, announced in a Link header. */
    public static final String CONTEXT = "https://ref.gs1.org/standards/resolver/linkset-context";
    public static final String CONTEXT_REL = "http://www.w3.org/ns/json-ld#context";

    private static final String VOCABULARY = "https://gs1.org/voc/";

    /** The link types this resolver offers: their GS1 Web Vocabulary name, title and media type. */
    enum LinkType {
        DEFAULT_LINK("defaultLink", "Product page", "text/html"),
        PIP("pip", "Product information page: authenticity, origin and journey", "text/html"),
        TRACEABILITY("traceability", "This item's trace as consumers may see it", "application/json");

        final String name;
        final String title;
        final String type;

        LinkType(String name, String title, String type) {
            this.name = name;
            this.title = title;
            this.type = type;
        }

        String uri() {
            return VOCABULARY + name;
        }

        /** As GS1 writes it in a query: the CURIE gs1:pip or the full https://gs1.org/voc/pip. */
        static Optional<LinkType> of(String linkType) {
            String wanted = linkType.strip();
            return Arrays.stream(values())
                    .filter(type -> wanted.equalsIgnoreCase("gs1:" + type.name) || wanted.equalsIgnoreCase(type.uri()))
                    .findFirst();
        }
    }

    private Linkset() {
    }

    /** Whether the linkType asks for every link: {@code all}, or {@code linkset} as some resolvers take it. */
    public static boolean isAll(String linkType) {
        String wanted = linkType.strip().toLowerCase(Locale.ROOT);
        return wanted.equals("all") || wanted.equals("linkset");
    }

    public static boolean isKnown(String linkType) {
        return LinkType.of(linkType).isPresent();
    }

    /** The names a client may ask for, for the problem that answers an unknown one. */
    public static String offered() {
        return "all, " + String.join(", ", Arrays.stream(LinkType.values()).map(type -> "gs1:" + type.name).toList());
    }

    /**
     * The linkset of a code: anchored at the code's URI as printed, each link to {@code href}.
     *
     * @param anchor the Digital Link URI the code holds
     * @param href   the code's URL on this service
     */
    public static Map<String, Object> of(String anchor, String href) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("anchor", anchor);
        for (LinkType type : LinkType.values()) {
            Map<String, Object> link = new LinkedHashMap<>();
            link.put("href", href);
            link.put("title", type.title);
            link.put("type", type.type);
            if (type.type.equals("text/html")) {
                link.put("hreflang", Negotiation.LANGUAGES.stream().map(Locale::getLanguage).toList());
            }
            context.put(type.uri(), List.of(link));
        }
        return Map.of("linkset", List.of(context));
    }
}
