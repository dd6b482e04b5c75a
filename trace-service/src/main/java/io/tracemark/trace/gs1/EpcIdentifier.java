package io.tracemark.trace.gs1;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A GS1 identifier as EPCIS carries it, written either as an EPC URN
 * ({@code urn:epc:id:sgtin:0614141.107346.2017}) or as a GS1 Digital Link URI on any host
 * ({@code https://id.example.com/01/00614141073467/21/2017}).
 *
 * <p>Both spellings reduce to one canonical form, the Digital Link URI on {@code id.gs1.org} with
 * only the key and the qualifier that makes it an EPC: {@code https://id.gs1.org/01/{GTIN-14}/21/{serial}}.
 * The Digital Link is the canonical side because an EPC URN states where its GS1 Company Prefix
 * ends and a Digital Link does not: URN to Digital Link never needs outside knowledge, while
 * Digital Link to URN needs the prefix length ({@link CompanyPrefixes}).
 *
 * @param ai the GS1 application identifier of the key: 01 (GTIN), 00 (SSCC), 414 (GLN of a
 *        location), 417 (GLN of a party), 8003 (GRAI), 8004 (GIAI), 8017 (GSRNP), 8018 (GSRN), 253 (GDTI)
 * @param key the key's digits (and characters, for GIAI, GRAI and GDTI serials), GTINs as GTIN-14
 * @param qualifierAi 21 (serial) or 10 (lot) for a GTIN, 254 (extension) for a GLN, else null
 * @param qualifier the qualifier's value, unescaped
 */
public record EpcIdentifier(String ai, String key, String qualifierAi, String qualifier) {

    public static final String CANONICAL_BASE = "https://id.gs1.org";

    /** What an identifier stands for, which decides the EPCIS fields it may appear in. */
    public enum Kind {
        /** One thing: an SGTIN, SSCC, GRAI, GIAI, GSRN, GSRNP or GDTI. */
        INSTANCE,
        /** A class of things: a GTIN (all its items) or a GTIN with a lot. */
        CLASS,
        /** A place or a party: an SGLN or PGLN. */
        LOCATION
    }

    private static final Pattern DIGITS = Pattern.compile("\\d+");
    /** GS1 AI encodable character set 82, which serials, lots and extensions are written in. */
    private static final Pattern CSET82 = Pattern.compile("[!\"%&'()*+,\\-./0-9:;<=>?A-Z_a-z]+");
    private static final Map<String, String> PRIMARY_AIS = Map.of("01", "GTIN", "00", "SSCC", "414", "GLN",
            "417", "party GLN", "8003", "GRAI", "8004", "GIAI", "8017", "GSRNP", "8018", "GSRN", "253", "GDTI");

    public Kind kind() {
        return switch (ai) {
            case "01" -> "21".equals(qualifierAi) ? Kind.INSTANCE : Kind.CLASS;
            case "414", "417" -> Kind.LOCATION;
            default -> Kind.INSTANCE;
        };
    }

    /** The canonical form: a Digital Link URI on id.gs1.org. */
    public String canonical() {
        StringBuilder uri = new StringBuilder(CANONICAL_BASE).append('/').append(ai).append('/').append(pathEscape(key));
        if (qualifierAi != null) {
            uri.append('/').append(qualifierAi).append('/').append(pathEscape(qualifier));
        }
        return uri.toString();
    }

    /** The EPC URN (or EPC class URN, or EPC pattern for a bare GTIN), splitting the key at the company prefix. */
    public String urn(CompanyPrefixes prefixes) {
        return switch (ai) {
            case "01" -> {
                int gcp = prefixes.lengthFor(key.substring(1), 13);
                String gcpDigits = key.substring(1, 1 + gcp);
                String itemRef = key.charAt(0) + key.substring(1 + gcp, 13);
                if (qualifierAi == null) {
                    yield "urn:epc:idpat:sgtin:" + gcpDigits + "." + itemRef + ".*";
                }
                String scheme = "21".equals(qualifierAi) ? "urn:epc:id:sgtin:" : "urn:epc:class:lgtin:";
                yield scheme + gcpDigits + "." + itemRef + "." + urnEscape(qualifier);
            }
            case "00" -> {
                int gcp = prefixes.lengthFor(key.substring(1), 17);
                yield "urn:epc:id:sscc:" + key.substring(1, 1 + gcp) + "." + key.charAt(0) + key.substring(1 + gcp, 17);
            }
            case "414", "417" -> {
                int gcp = prefixes.lengthFor(key, 12);
                String body = key.substring(0, gcp) + "." + key.substring(gcp, 12);
                yield "414".equals(ai)
                        ? "urn:epc:id:sgln:" + body + "." + (qualifier == null ? "0" : urnEscape(qualifier))
                        : "urn:epc:id:pgln:" + body;
            }
            case "8003" -> {
                int gcp = prefixes.lengthFor(key.substring(1), 12);
                yield "urn:epc:id:grai:" + key.substring(1, 1 + gcp) + "." + key.substring(1 + gcp, 13) + "."
                        + urnEscape(key.substring(14));
            }
            case "8004" -> {
                int gcp = prefixes.lengthFor(key, Math.min(12, key.length() - 1));
                yield "urn:epc:id:giai:" + key.substring(0, gcp) + "." + urnEscape(key.substring(gcp));
            }
            case "8017", "8018" -> {
                int gcp = prefixes.lengthFor(key, 17);
                yield "urn:epc:id:" + ("8018".equals(ai) ? "gsrn:" : "gsrnp:") + key.substring(0, gcp) + "."
                        + key.substring(gcp, 17);
            }
            case "253" -> {
                int gcp = prefixes.lengthFor(key, 12);
                yield "urn:epc:id:gdti:" + key.substring(0, gcp) + "." + key.substring(gcp, 12) + "."
                        + urnEscape(key.substring(13));
            }
            default -> throw new IllegalStateException("no EPC URN for AI " + ai);
        };
    }

    /** Whether the text is written as an EPC URN (rather than as a Digital Link). */
    public static boolean isUrn(String text) {
        return text != null && text.regionMatches(true, 0, "urn:epc:", 0, 8);
    }

    /**
     * Reads an EPC URN or a GS1 Digital Link URI.
     *
     * @throws IllegalArgumentException naming what is wrong, for anything else
     */
    public static EpcIdentifier parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("is empty");
        }
        if (isUrn(text)) {
            return fromUrn(text);
        }
        if (text.startsWith("https://") || text.startsWith("http://")) {
            return fromDigitalLink(text);
        }
        throw new IllegalArgumentException("'" + text + "' is neither an EPC URN (urn:epc:...) nor a GS1 Digital Link URI");
    }

    private static EpcIdentifier fromUrn(String urn) {
        String[] head = urn.split(":", 5);
        if (head.length != 5) {
            throw unknown(urn);
        }
        String family = head[2].toLowerCase();
        String scheme = family + ":" + head[3].toLowerCase();
        String body = head[4];
        try {
            return switch (scheme) {
                case "id:sgtin" -> gtinUrn(urn, fields(body, 3), "21");
                case "class:lgtin" -> gtinUrn(urn, fields(body, 3), "10");
                case "idpat:sgtin" -> {
                    String[] parts = body.split("\\.", -1);
                    if (parts.length != 3 || !"*".equals(parts[2]) || "*".equals(parts[1])) {
                        throw new IllegalArgumentException("only patterns of one GTIN (CompanyPrefix.ItemReference.*) are supported");
                    }
                    yield gtinUrn(urn, new String[] { parts[0], parts[1], "x" }, null);
                }
                case "id:sscc" -> {
                    String[] parts = fields(body, 2);
                    yield new EpcIdentifier("00", sscc(parts[0], parts[1]), null, null);
                }
                case "id:sgln", "id:pgln" -> {
                    boolean location = "id:sgln".equals(scheme);
                    String[] parts = fields(body, location ? 3 : 2);
                    String gln = keyWithCheckDigit(parts[0], parts[1], 12, location ? "location reference" : "party reference");
                    if (!location) {
                        yield new EpcIdentifier("417", gln, null, null);
                    }
                    String extension = cset82(unescape(parts[2]), 20, "extension");
                    yield new EpcIdentifier("414", gln, "0".equals(extension) ? null : "254",
                            "0".equals(extension) ? null : extension);
                }
                case "id:grai" -> {
                    String[] parts = fields(body, 3);
                    String grai = keyWithCheckDigit(parts[0], parts[1], 12, "asset type");
                    String serial = cset82(unescape(parts[2]), 16, "serial");
                    yield new EpcIdentifier("8003", "0" + grai + serial, null, null);
                }
                case "id:giai" -> {
                    String[] parts = fields(body, 2);
                    String gcp = companyPrefix(parts[0]);
                    String reference = cset82(unescape(parts[1]), 30 - gcp.length(), "asset reference");
                    yield new EpcIdentifier("8004", gcp + reference, null, null);
                }
                case "id:gsrn", "id:gsrnp" -> {
                    String[] parts = fields(body, 2);
                    yield new EpcIdentifier("id:gsrn".equals(scheme) ? "8018" : "8017",
                            keyWithCheckDigit(parts[0], parts[1], 17, "service reference"), null, null);
                }
                case "id:gdti" -> {
                    String[] parts = fields(body, 3);
                    String gdti = keyWithCheckDigit(parts[0], parts[1], 12, "document type");
                    String serial = cset82(unescape(parts[2]), 17, "serial");
                    yield new EpcIdentifier("253", gdti + serial, null, null);
                }
                default -> throw unknown(urn);
            };
        } catch (IllegalArgumentException e) {
            if (e.getMessage().startsWith("'")) {
                throw e;
            }
            throw new IllegalArgumentException("'" + urn + "' is not a valid " + scheme.replace(':', ' ') + " URN: "
                    + e.getMessage());
        }
    }

    private static EpcIdentifier gtinUrn(String urn, String[] parts, String qualifierAi) {
        String gtin = gtin14(parts[0], parts[1]);
        if (qualifierAi == null) {
            return new EpcIdentifier("01", gtin, null, null);
        }
        String value = cset82(unescape(parts[2]), 20, "21".equals(qualifierAi) ? "serial" : "lot");
        return new EpcIdentifier("01", gtin, qualifierAi, value);
    }

    /**
     * The GTIN-14 of an EPC URN's company prefix and indicator digit plus item reference
     * ({@code 0614141} and {@code 107346} give {@code 00614141073467}): the indicator moves to the
     * front and the check digit is computed.
     *
     * @throws IllegalArgumentException naming the part that is wrong
     */
    public static String gtin14(String companyPrefix, String indicatorAndItemReference) {
        String gcp = companyPrefix(companyPrefix);
        digits(indicatorAndItemReference, 13 - gcp.length(), "indicator and item reference");
        String body = indicatorAndItemReference.charAt(0) + gcp + indicatorAndItemReference.substring(1);
        return body + Gs1Keys.checkDigit(body);
    }

    /**
     * The SSCC-18 of an EPC URN's company prefix and extension digit plus serial reference: the
     * extension digit moves to the front and the check digit is computed.
     *
     * @throws IllegalArgumentException naming the part that is wrong
     */
    public static String sscc(String companyPrefix, String extensionAndSerialReference) {
        String gcp = companyPrefix(companyPrefix);
        digits(extensionAndSerialReference, 17 - gcp.length(), "serial reference");
        String body = extensionAndSerialReference.charAt(0) + gcp + extensionAndSerialReference.substring(1);
        return body + Gs1Keys.checkDigit(body);
    }

    /**
     * The digits of a key an EPC URN writes as company prefix and reference (GLN, GRAI, GDTI, GSRN
     * and the like): {@code digits} digits in all, then the check digit. The reference is empty when
     * a 12-digit prefix takes all 12 digits of a GLN.
     *
     * @throws IllegalArgumentException naming the part that is wrong
     */
    public static String keyWithCheckDigit(String companyPrefix, String reference, int digits, String what) {
        String gcp = companyPrefix(companyPrefix);
        digits(reference, digits - gcp.length(), what);
        String body = gcp + reference;
        return body + Gs1Keys.checkDigit(body);
    }

    private static EpcIdentifier fromDigitalLink(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a valid URI: " + e.getReason());
        }
        if (uri.getHost() == null || uri.getRawPath() == null) {
            throw new IllegalArgumentException("'" + text + "' is not a GS1 Digital Link URI (no host or path)");
        }
        List<String> segments = List.of(uri.getRawPath().split("/"));
        // A Digital Link may sit under a path of its own (https://example.com/products/01/...):
        // the key starts at the first segment that names a primary key and has room for its value.
        for (int i = 0; i + 1 < segments.size(); i++) {
            if (PRIMARY_AIS.containsKey(segments.get(i))) {
                try {
                    return digitalLinkKey(segments.subList(i, segments.size()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("'" + text + "' is not a valid GS1 Digital Link URI: " + e.getMessage());
                }
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a GS1 Digital Link URI (no GS1 key such as /01/{GTIN} in its path)");
    }

    private static EpcIdentifier digitalLinkKey(List<String> path) {
        String ai = path.get(0);
        String value = unescape(path.get(1));
        Map<String, String> qualifiers = new java.util.LinkedHashMap<>();
        for (int i = 2; i < path.size(); i += 2) {
            if (i + 1 >= path.size()) {
                throw new IllegalArgumentException("AI " + path.get(i) + " has no value");
            }
            qualifiers.put(path.get(i), unescape(path.get(i + 1)));
        }
        switch (ai) {
            case "01" -> {
                String gtin = Gs1Keys.gtin14(value)
                        .orElseThrow(() -> new IllegalArgumentException("GTIN " + Gs1Keys.whyNotGtin(value)));
                allowOnly(qualifiers, List.of("22", "10", "21"));
                if (qualifiers.containsKey("22")) {
                    throw new IllegalArgumentException("a consumer product variant (AI 22) has no EPC equivalent");
                }
                if (qualifiers.containsKey("21")) {
                    // The lot is not part of an item's identity (SGTIN): the same item matches with or without it.
                    return new EpcIdentifier("01", gtin, "21", cset82(qualifiers.get("21"), 20, "serial"));
                }
                if (qualifiers.containsKey("10")) {
                    return new EpcIdentifier("01", gtin, "10", cset82(qualifiers.get("10"), 20, "lot"));
                }
                return new EpcIdentifier("01", gtin, null, null);
            }
            case "00" -> {
                allowOnly(qualifiers, List.of());
                checkedDigits(value, 18, "SSCC");
                return new EpcIdentifier("00", value, null, null);
            }
            case "414" -> {
                allowOnly(qualifiers, List.of("254"));
                checkedDigits(value, 13, "GLN");
                // Extension 0 is how an SGLN says "no extension" (EPC Tag Data Standard): one identifier, one form.
                String extension = "0".equals(qualifiers.get("254")) ? null : qualifiers.get("254");
                if (extension != null) {
                    cset82(extension, 20, "extension");
                }
                return new EpcIdentifier("414", value, extension == null ? null : "254", extension);
            }
            case "417" -> {
                allowOnly(qualifiers, List.of());
                checkedDigits(value, 13, "GLN");
                return new EpcIdentifier("417", value, null, null);
            }
            case "8003" -> {
                allowOnly(qualifiers, List.of());
                if (value.length() < 15 || value.charAt(0) != '0') {
                    throw new IllegalArgumentException("a GRAI EPC is 0, 13 digits and a serial");
                }
                checkedDigits(value.substring(1, 14), 13, "GRAI");
                cset82(value.substring(14), 16, "serial");
                return new EpcIdentifier("8003", value, null, null);
            }
            case "8004" -> {
                allowOnly(qualifiers, List.of());
                cset82(value, 30, "GIAI");
                if (value.length() < 7 || !DIGITS.matcher(value.substring(0, 6)).matches()) {
                    throw new IllegalArgumentException("a GIAI starts with its company prefix");
                }
                return new EpcIdentifier("8004", value, null, null);
            }
            case "8017", "8018" -> {
                allowOnly(qualifiers, List.of());
                checkedDigits(value, 18, "8018".equals(ai) ? "GSRN" : "GSRNP");
                return new EpcIdentifier(ai, value, null, null);
            }
            case "253" -> {
                allowOnly(qualifiers, List.of());
                if (value.length() < 14) {
                    throw new IllegalArgumentException("a GDTI EPC is 13 digits and a serial");
                }
                checkedDigits(value.substring(0, 13), 13, "GDTI");
                cset82(value.substring(13), 17, "serial");
                return new EpcIdentifier("253", value, null, null);
            }
            default -> throw new IllegalArgumentException("AI " + ai + " is not supported");
        }
    }

    private static void allowOnly(Map<String, String> qualifiers, List<String> allowed) {
        for (String ai : qualifiers.keySet()) {
            if (!allowed.contains(ai)) {
                throw new IllegalArgumentException("AI " + ai + " cannot follow this key");
            }
        }
    }

    /**
     * The dot-separated fields of a URN's body. The last field is a serial, extension or reference
     * where a dot is an ordinary character of set 82 (URNs do not escape it): it takes the rest.
     */
    private static String[] fields(String body, int count) {
        String[] parts = body.split("\\.", count);
        if (parts.length != count) {
            throw new IllegalArgumentException("has " + parts.length + " dot-separated fields, not " + count);
        }
        return parts;
    }

    private static String companyPrefix(String gcp) {
        if (gcp.length() < 6 || gcp.length() > 12 || !DIGITS.matcher(gcp).matches()) {
            throw new IllegalArgumentException("company prefix '" + gcp + "' must be 6 to 12 digits");
        }
        return gcp;
    }

    private static void digits(String value, int length, String what) {
        if (length < 0 || value.length() != length || (length > 0 && !DIGITS.matcher(value).matches())) {
            throw new IllegalArgumentException(what + " '" + value + "' must be " + (length > 0 ? length + " digits"
                    : "empty") + " with this company prefix");
        }
    }

    private static void checkedDigits(String value, int length, String what) {
        if (value.length() != length || !DIGITS.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " '" + value + "' must be " + length + " digits");
        }
        if (Gs1Keys.checkDigit(value.substring(0, length - 1)) != value.charAt(length - 1) - '0') {
            throw new IllegalArgumentException(what + " '" + value + "' has a wrong check digit (expected "
                    + Gs1Keys.checkDigit(value.substring(0, length - 1)) + ")");
        }
    }

    private static String cset82(String value, int maxLength, String what) {
        if (value.isEmpty() || value.length() > maxLength || !CSET82.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " '" + value + "' must be 1 to " + maxLength
                    + " characters of GS1 character set 82");
        }
        return value;
    }

    private static IllegalArgumentException unknown(String urn) {
        return new IllegalArgumentException("'" + urn + "' is not a supported EPC URN (sgtin, sscc, sgln, pgln, grai, "
                + "giai, gsrn, gsrnp, gdti, class:lgtin or idpat:sgtin)");
    }

    /** Percent-decoding, as both EPC URNs and Digital Link paths escape the same way. */
    static String unescape(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        byte[] out = new byte[text.length()];
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length()) {
                    throw new IllegalArgumentException("'" + text + "' has a broken %-escape");
                }
                int high = Character.digit(text.charAt(i + 1), 16);
                int low = Character.digit(text.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw new IllegalArgumentException("'" + text + "' has a broken %-escape");
                }
                out[n++] = (byte) (high * 16 + low);
                i += 2;
            } else if (c < 0x80) {
                out[n++] = (byte) c;
            } else {
                // Identifiers are ASCII; a wider character cut to a byte could pass for a digit.
                throw new IllegalArgumentException("'" + text + "' holds '" + c + "', which is not ASCII");
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    /** Escapes what a Digital Link path segment cannot hold: of set 82, " % / < > ?. */
    static String pathEscape(String value) {
        return escape(value, "\"%/<>?");
    }

    /** Escapes what the EPC URN syntax reserves: of set 82, " % & / < > ?. */
    static String urnEscape(String value) {
        return escape(value, "\"%&/<>?");
    }

    private static String escape(String value, String reserved) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (char c : value.toCharArray()) {
            if (reserved.indexOf(c) >= 0) {
                out.append('%').append(String.format("%02X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
