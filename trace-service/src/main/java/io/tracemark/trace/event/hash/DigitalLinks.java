package io.tracemark.trace.event.hash;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.tracemark.trace.gs1.EpcIdentifier;

/**
 * The identifier normalisation of the event hash (CBV 2.0 rules 17 and 18): every EPC URI, EPC
 * class URI or EPC pattern URI becomes its canonical GS1 Digital Link URI on {@code id.gs1.org},
 * and every GS1 Digital Link URI is constrained to {@code https://id.gs1.org}, no query string,
 * and only its most fine-grained key qualifier.
 *
 * <p>Going from an EPC URI to a Digital Link needs no GS1 company prefix length: the EPC URI
 * carries the prefix as its own dot-separated component, and the Digital Link simply
 * concatenates it with the reference digits. Only the reverse direction would need the length,
 * and the algorithm never goes that way.
 *
 * <p>Keys are built by {@link EpcIdentifier}, the ledger's own EPC conversion: an EPC that is
 * only digits (SSCC, GSRN, GSRNP, PGLN, an SGTIN pattern) is converted by it whole, and the
 * others take their GTIN, GLN or other key digits from it. What stays here is what the hash
 * needs and the ledger does not want:
 * <ul>
 * <li>serials, lots and extensions are read by the EPC URI grammar (TDS GS3A3) and written with
 *     their own %-escapes kept as they were sent, only {@code ! ( ) * + , :} being escaped, so that
 *     a hash never depends on how an escape is spelt back; the ledger unescapes them, checks them
 *     against GS1 character set 82 and escapes them its own way;</li>
 * <li>the EPC schemes the ledger does not accept (SGCN, CPI, GINC, GSIN, ITIP, UPUI, patterns
 *     other than SGTIN's);</li>
 * <li>constraining Digital Links ({@link #constrain}): every primary key and qualifier of the
 *     Digital Link standard, short names, the finest qualifier kept and the others dropped
 *     (a consumer product variant too, which the ledger refuses), and no check digit
 *     re-validated, so that the hash of an event never fails on a key the ledger would refuse.</li>
 * </ul>
 */
final class DigitalLinks {

    static final String CANONICAL_HOST = EpcIdentifier.CANONICAL_BASE;

    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final Pattern COMPANY_PREFIX = Pattern.compile("\\d{6,12}");
    /** An EPC URI component in the GS3A3 alphabet, with its %-escapes. */
    private static final Pattern GS3A3 =
            Pattern.compile("(?:%[0-9A-Fa-f]{2}|[!'()*+,\\-.0-9:;=A-Z_a-z])+");
    /** The CPI component alphabet of the EPC URI. */
    private static final Pattern CPI_REF = Pattern.compile("(?:%2[3DFdf]|[0-9A-Z\\-])+");
    /** The GS1 AI encodable character set 82, as it reads once %-escapes are decoded. */
    private static final Pattern AI82 = Pattern.compile("[!\"%&'()*+,\\-./0-9:;<=>?A-Z_a-z]+");
    private static final Pattern CPID_CHARS = Pattern.compile("[#\\-/0-9A-Z]+");
    // Compiled once: every EPC of every event is normalised for its hash.
    private static final Pattern UP_TO_12_DIGITS = Pattern.compile("\\d{1,12}");
    private static final Pattern TWO_DIGITS = Pattern.compile("\\d{2}");
    private static final Pattern SHORT_GTIN = Pattern.compile("\\d{8}|\\d{12}|\\d{13}");
    private static final Pattern DIGITS_18 = Pattern.compile("\\d{18}");
    private static final Pattern DIGITS_14 = Pattern.compile("\\d{14}");
    private static final Pattern DIGITS_13_THEN_ANY = Pattern.compile("\\d{13}.*");
    private static final Pattern DIGITS_13_TO_25 = Pattern.compile("\\d{13,25}");
    private static final Pattern DIGITS_17 = Pattern.compile("\\d{17}");
    private static final Pattern DIGITS_13 = Pattern.compile("\\d{13}");
    private static final Pattern DIGITS_14_THEN_ANY = Pattern.compile("\\d{14}.*");

    private static final Map<String, String> SHORT_NAMES = Map.ofEntries(
            Map.entry("gtin", "01"), Map.entry("itip", "8006"), Map.entry("cpid", "8010"),
            Map.entry("gln", "414"), Map.entry("party", "417"), Map.entry("gsrnp", "8017"),
            Map.entry("gsrn", "8018"), Map.entry("gcn", "255"), Map.entry("sscc", "00"),
            Map.entry("gdti", "253"), Map.entry("ginc", "401"), Map.entry("gsin", "402"),
            Map.entry("grai", "8003"), Map.entry("giai", "8004"), Map.entry("cpv", "22"),
            Map.entry("lot", "10"), Map.entry("ser", "21"), Map.entry("glnx", "254"),
            Map.entry("tpx", "235"), Map.entry("cpsn", "8011"));

    private static final Set<String> PRIMARY_KEYS = Set.of(
            "00", "01", "253", "255", "401", "402", "414", "417", "8003", "8004", "8006", "8010", "8017", "8018");

    private static final Map<String, Set<String>> QUALIFIERS = Map.of(
            "01", Set.of("22", "10", "21", "235"),
            "8006", Set.of("22", "10", "21"),
            "414", Set.of("254"),
            "8010", Set.of("8011"));

    private DigitalLinks() {
    }

    /**
     * The constrained canonical Digital Link for {@code value}, or null when the value is neither
     * a convertible EPC URI nor a GS1 Digital Link URI (the caller then keeps the value as it is).
     */
    static String normalise(String value) {
        if (value.startsWith("urn:epc:")) {
            return fromEpcUri(value);
        }
        if (value.startsWith("https://") || value.startsWith("http://")) {
            return constrain(value);
        }
        return null;
    }

    static String fromEpcUri(String uri) {
        if (uri.startsWith("urn:epc:id:")) {
            return fromEpcId(uri.substring("urn:epc:id:".length()));
        }
        if (uri.startsWith("urn:epc:class:lgtin:")) {
            String[] p = uri.substring("urn:epc:class:lgtin:".length()).split("\\.", 3);
            String gtin = p.length == 3 && serialLike(p[2], 20) ? gtin(p[0], p[1]) : null;
            return gtin == null ? null : CANONICAL_HOST + "/01/" + gtin + "/10/" + encode(p[2]);
        }
        if (uri.startsWith("urn:epc:idpat:")) {
            return fromEpcPattern(uri.substring("urn:epc:idpat:".length()));
        }
        return null;
    }

    private static String fromEpcId(String rest) {
        int colon = rest.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String scheme = rest.substring(0, colon);
        String body = rest.substring(colon + 1);
        String[] p;
        switch (scheme) {
            case "sgtin": {
                p = body.split("\\.", 3);
                String gtin = p.length == 3 && serialLike(p[2], 20) ? gtin(p[0], p[1]) : null;
                return gtin == null ? null : CANONICAL_HOST + "/01/" + gtin + "/21/" + encode(p[2]);
            }
            case "sscc", "gsrn", "gsrnp", "pgln":
                // All digits: nothing is written differently for the hash than for the ledger.
                return canonical("urn:epc:id:" + rest);
            case "sgln": {
                p = body.split("\\.", 3);
                String gln = p.length == 3 && serialLike(p[2], 20) ? key(p[0], p[1], 12) : null;
                if (gln == null) {
                    return null;
                }
                // Extension "0" is how the EPC URI says "no extension".
                return CANONICAL_HOST + "/414/" + gln + ("0".equals(p[2]) ? "" : "/254/" + encode(p[2]));
            }
            case "grai": {
                p = body.split("\\.", 3);
                String grai = p.length == 3 && serialLike(p[2], 16) ? key(p[0], p[1], 12) : null;
                return grai == null ? null : CANONICAL_HOST + "/8003/0" + grai + encode(p[2]);
            }
            case "giai":
                p = body.split("\\.", 2);
                if (p.length != 2 || !COMPANY_PREFIX.matcher(p[0]).matches()
                        || !serialLike(p[1], 30 - p[0].length())) {
                    return null;
                }
                return CANONICAL_HOST + "/8004/" + p[0] + encode(p[1]);
            case "gdti": {
                p = body.split("\\.", 3);
                String gdti = p.length == 3 && serialLike(p[2], 17) ? key(p[0], p[1], 12) : null;
                return gdti == null ? null : CANONICAL_HOST + "/253/" + gdti + encode(p[2]);
            }
            case "sgcn": {
                p = body.split("\\.", 3);
                String gcn = p.length == 3 && UP_TO_12_DIGITS.matcher(p[2]).matches() ? key(p[0], p[1], 12) : null;
                return gcn == null ? null : CANONICAL_HOST + "/255/" + gcn + p[2];
            }
            case "cpi": {
                int first = body.indexOf('.');
                int last = body.lastIndexOf('.');
                if (first < 0 || last <= first) {
                    return null;
                }
                String prefix = body.substring(0, first);
                String ref = body.substring(first + 1, last);
                String serial = body.substring(last + 1);
                if (!COMPANY_PREFIX.matcher(prefix).matches() || !CPI_REF.matcher(ref).matches()
                        || !UP_TO_12_DIGITS.matcher(serial).matches()) {
                    return null;
                }
                return CANONICAL_HOST + "/8010/" + encode(prefix + ref) + "/8011/" + serial;
            }
            case "ginc":
                p = body.split("\\.", 2);
                if (p.length != 2 || !COMPANY_PREFIX.matcher(p[0]).matches()
                        || !serialLike(p[1], 30 - p[0].length())) {
                    return null;
                }
                return CANONICAL_HOST + "/401/" + p[0] + encode(p[1]);
            case "gsin": {
                p = body.split("\\.", 2);
                String gsin = p.length == 2 ? key(p[0], p[1], 16) : null;
                return gsin == null ? null : CANONICAL_HOST + "/402/" + gsin;
            }
            case "itip": {
                p = body.split("\\.", 5);
                String gtin = p.length == 5 && TWO_DIGITS.matcher(p[2]).matches() && TWO_DIGITS.matcher(p[3]).matches() && serialLike(p[4], 20)
                        ? gtin(p[0], p[1]) : null;
                return gtin == null ? null : CANONICAL_HOST + "/8006/" + gtin + p[2] + p[3] + "/21/" + encode(p[4]);
            }
            case "upui": {
                p = body.split("\\.", 3);
                String gtin = p.length == 3 && serialLike(p[2], 28) ? gtin(p[0], p[1]) : null;
                return gtin == null ? null : CANONICAL_HOST + "/01/" + gtin + "/235/" + encode(p[2]);
            }
            default:
                // gid, usdod, adi, bic, imovn and the like have no GS1 key to link to.
                return null;
        }
    }

    private static String fromEpcPattern(String rest) {
        int colon = rest.indexOf(':');
        if (colon < 0 || !rest.endsWith(".*")) {
            return null;
        }
        String scheme = rest.substring(0, colon);
        String[] p = rest.substring(colon + 1, rest.length() - 2).split("\\.", -1);
        String key = p.length == 2 ? key(p[0], p[1], 12) : null;
        switch (scheme) {
            case "sgtin":
                return canonical("urn:epc:idpat:" + rest);
            case "upui": {
                String gtin = p.length == 2 ? gtin(p[0], p[1]) : null;
                return gtin == null ? null : CANONICAL_HOST + "/01/" + gtin;
            }
            case "grai":
                return key == null ? null : CANONICAL_HOST + "/8003/0" + key;
            case "gdti":
                return key == null ? null : CANONICAL_HOST + "/253/" + key;
            case "sgcn":
                return key == null ? null : CANONICAL_HOST + "/255/" + key;
            case "cpi":
                return p.length == 2 && COMPANY_PREFIX.matcher(p[0]).matches() && CPI_REF.matcher(p[1]).matches()
                        ? CANONICAL_HOST + "/8010/" + encode(p[0] + p[1]) : null;
            case "itip": {
                String gtin = p.length == 4 && TWO_DIGITS.matcher(p[2]).matches() && TWO_DIGITS.matcher(p[3]).matches() ? gtin(p[0], p[1]) : null;
                return gtin == null ? null : CANONICAL_HOST + "/8006/" + gtin + p[2] + p[3];
            }
            default:
                return null;
        }
    }

    /**
     * Constrains a GS1 Digital Link URI, or returns null when {@code uri} is not one. The path may
     * carry any prefix before the primary key (resolvers often mount Digital Links under a path).
     */
    static String constrain(String uri) {
        String rest = uri.substring(uri.indexOf("://") + 3);
        int end = indexOfAny(rest, '?', '#');
        if (end >= 0) {
            rest = rest.substring(0, end);
        }
        int slash = rest.indexOf('/');
        if (slash < 0) {
            return null;
        }
        String[] segments = rest.substring(slash + 1).split("/", -1);
        int n = segments.length;
        if (n > 0 && segments[n - 1].isEmpty()) {
            n--;
        }
        for (int i = 0; i + 1 < n; i++) {
            String key = ai(segments[i]);
            if (key == null || !PRIMARY_KEYS.contains(key) || (n - i) % 2 != 0) {
                continue;
            }
            Map<String, String> qualifiers = new LinkedHashMap<>();
            boolean valid = true;
            for (int j = i + 2; j + 1 < n; j += 2) {
                String q = ai(segments[j]);
                if (q == null || !QUALIFIERS.getOrDefault(key, Set.of()).contains(q) || qualifiers.containsKey(q)) {
                    valid = false;
                    break;
                }
                qualifiers.put(q, segments[j + 1]);
            }
            if (valid) {
                String link = canonical(key, segments[i + 1], qualifiers);
                if (link != null) {
                    return link;
                }
            }
        }
        return null;
    }

    private static String canonical(String key, String value, Map<String, String> qualifiers) {
        String v = value;
        if ("01".equals(key) && SHORT_GTIN.matcher(v).matches()) {
            v = "0".repeat(14 - v.length()) + v;
        }
        if (!validKey(key, v)) {
            return null;
        }
        StringBuilder link = new StringBuilder(CANONICAL_HOST).append('/').append(key).append('/').append(v);
        // Rule 18: keep only the finest level of identification the link carries.
        String[] finest = switch (key) {
            case "01" -> new String[] {"21", "235", "10"};
            case "8006" -> new String[] {"21", "10"};
            case "414" -> new String[] {"254"};
            case "8010" -> new String[] {"8011"};
            default -> new String[0];
        };
        for (String q : finest) {
            String qv = qualifiers.get(q);
            if (qv != null) {
                if (!validQualifier(q, qv)) {
                    return null;
                }
                link.append('/').append(q).append('/').append(qv);
                break;
            }
        }
        return link.toString();
    }

    private static boolean validKey(String key, String value) {
        String decoded = decode(value);
        if (decoded == null) {
            return false;
        }
        return switch (key) {
            case "00", "8017", "8018" -> DIGITS_18.matcher(decoded).matches();
            case "01" -> DIGITS_14.matcher(decoded).matches();
            case "8006" -> DIGITS_18.matcher(decoded).matches();
            case "253" -> decoded.length() <= 30 && DIGITS_13_THEN_ANY.matcher(decoded).matches() && ai82OrEmpty(decoded.substring(13));
            case "255" -> DIGITS_13_TO_25.matcher(decoded).matches();
            case "401", "8004" -> decoded.length() <= 30 && AI82.matcher(decoded).matches();
            case "402" -> DIGITS_17.matcher(decoded).matches();
            case "414", "417" -> DIGITS_13.matcher(decoded).matches();
            case "8003" -> decoded.length() <= 30 && DIGITS_14_THEN_ANY.matcher(decoded).matches() && ai82OrEmpty(decoded.substring(14));
            case "8010" -> decoded.length() <= 30 && CPID_CHARS.matcher(decoded).matches();
            default -> false;
        };
    }

    private static boolean validQualifier(String qualifier, String value) {
        String decoded = decode(value);
        if (decoded == null) {
            return false;
        }
        return switch (qualifier) {
            case "21", "10", "254" -> decoded.length() <= 20 && AI82.matcher(decoded).matches();
            case "235" -> decoded.length() <= 28 && AI82.matcher(decoded).matches();
            case "8011" -> UP_TO_12_DIGITS.matcher(decoded).matches();
            default -> false;
        };
    }

    private static boolean ai82OrEmpty(String s) {
        return s.isEmpty() || AI82.matcher(s).matches();
    }

    private static String ai(String segment) {
        if (DIGITS.matcher(segment).matches()) {
            return segment;
        }
        return SHORT_NAMES.get(segment);
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        if (i < 0) {
            return j;
        }
        return j < 0 ? i : Math.min(i, j);
    }

    /** Percent-decodes for validation only; null when an escape is malformed. */
    private static String decode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.append((char) (hi * 16 + lo));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Escapes what an EPC URI may carry unescaped but a Digital Link path segment may not. The
     * EPC URI's own %-escapes are kept as they are, so the same serial always reads the same.
     */
    static String encode(String component) {
        StringBuilder out = new StringBuilder(component.length());
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            switch (c) {
                case '!', '(', ')', '*', '+', ',', ':' -> out.append('%').append(String.format("%02X", (int) c));
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** The ledger's canonical Digital Link of an EPC URN, or null when it refuses it. */
    private static String canonical(String urn) {
        try {
            return EpcIdentifier.parse(urn).canonical();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The GTIN-14 of a company prefix and an indicator digit plus item reference, or null. */
    private static String gtin(String companyPrefix, String itemReference) {
        try {
            return EpcIdentifier.gtin14(companyPrefix, itemReference);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The key of a company prefix and a reference, {@code digits} digits before its check digit, or null. */
    private static String key(String companyPrefix, String reference, int digits) {
        try {
            return EpcIdentifier.keyWithCheckDigit(companyPrefix, reference, digits, "reference");
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean serialLike(String serial, int maxChars) {
        if (!GS3A3.matcher(serial).matches()) {
            return false;
        }
        String decoded = decode(serial);
        return decoded != null && decoded.length() <= maxChars;
    }

}
