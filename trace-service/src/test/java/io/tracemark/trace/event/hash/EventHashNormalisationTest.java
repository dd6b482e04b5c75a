package io.tracemark.trace.event.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The value rules one at a time: identifiers, timestamps, numbers, terms and ordering. */
class EventHashNormalisationTest {

    @Test
    void everyEpcSchemeBecomesItsCanonicalDigitalLink() {
        assertEquals("https://id.gs1.org/01/09506000134352/21/A%2B1", link("urn:epc:id:sgtin:9506000.013435.A+1"));
        assertEquals("https://id.gs1.org/01/04150567890128/21/987654", link("urn:epc:id:sgtin:415056789012.0.987654"));
        assertEquals("https://id.gs1.org/00/106141412345678908", link("urn:epc:id:sscc:0614141.1234567890"));
        assertEquals("https://id.gs1.org/414/4012345000054/254/122", link("urn:epc:id:sgln:4012345.00005.122"));
        assertEquals("https://id.gs1.org/414/4012345000054", link("urn:epc:id:sgln:4012345.00005.0"));
        assertEquals("https://id.gs1.org/8003/04012345000221334455", link("urn:epc:id:grai:4012345.00022.334455"));
        assertEquals("https://id.gs1.org/8004/4012345ABC345", link("urn:epc:id:giai:4012345.ABC345"));
        assertEquals("https://id.gs1.org/8018/401234500000067657", link("urn:epc:id:gsrn:4012345.0000006765"));
        assertEquals("https://id.gs1.org/8017/401234500000000074", link("urn:epc:id:gsrnp:4012345.0000000007"));
        assertEquals("https://id.gs1.org/253/98765999999929", link("urn:epc:id:gdti:987659999999..9"));
        assertEquals("https://id.gs1.org/255/401234599999044", link("urn:epc:id:sgcn:4012345.99999.44"));
        assertEquals("https://id.gs1.org/8010/061414111111111111111-A%23%2F/8011/1234",
                link("urn:epc:id:cpi:0614141.11111111111111-A%23%2F.1234"));
        assertEquals("https://id.gs1.org/401/0614141xyz47%2F11", link("urn:epc:id:ginc:0614141.xyz47%2F11"));
        assertEquals("https://id.gs1.org/402/40123452223334442", link("urn:epc:id:gsin:4012345.222333444"));
        assertEquals("https://id.gs1.org/8006/040123451111180102/21/987", link("urn:epc:id:itip:4012345.011111.01.02.987"));
        assertEquals("https://id.gs1.org/01/01234567987651/235/51qIgY%29%3C%26Jp3%2Aj7'SDB",
                link("urn:epc:id:upui:1234567.098765.51qIgY)%3C%26Jp3*j7'SDB"));
        assertEquals("https://id.gs1.org/417/9999999999994", link("urn:epc:id:pgln:999999999999."));
        assertEquals("https://id.gs1.org/01/04012345123456/10/Lot987", link("urn:epc:class:lgtin:4012345.012345.Lot987"));
    }

    @Test
    void patternsBecomeTheLinkOfWhatTheyMatch() {
        assertEquals("https://id.gs1.org/01/04012345123456", link("urn:epc:idpat:sgtin:4012345.012345.*"));
        assertEquals("https://id.gs1.org/8003/04012345999990", link("urn:epc:idpat:grai:4012345.99999.*"));
        assertEquals("https://id.gs1.org/253/4012345111118", link("urn:epc:idpat:gdti:4012345.11111.*"));
        assertEquals("https://id.gs1.org/255/4012345222227", link("urn:epc:idpat:sgcn:4012345.22222.*"));
        assertEquals("https://id.gs1.org/8010/4012345AB12", link("urn:epc:idpat:cpi:4012345.AB12.*"));
        assertEquals("https://id.gs1.org/8006/040123451234560102", link("urn:epc:idpat:itip:4012345.012345.01.02.*"));
        assertEquals("https://id.gs1.org/01/04012345123456", link("urn:epc:idpat:upui:4012345.012345.*"));
    }

    @Test
    void digitalLinksAreConstrainedToTheirFinestKeyOnIdGs1Org() {
        assertEquals("https://id.gs1.org/01/09780345418913", link("http://id.gs1.org/gtin/9780345418913"));
        assertEquals("https://id.gs1.org/01/09780345418913/21/765tz",
                link("https://example.com/gtin/09780345418913/21/765tz?abc=211121#top"));
        assertEquals("https://id.gs1.org/01/00000097803111", link("http://example.de/gtin-8/01/97803111"));
        assertEquals("https://id.gs1.org/01/00001122334455/21/GHB", link("http://upc.example/01/001122334455/ser/GHB"));
        assertEquals("https://id.gs1.org/01/09780345418913/21/765tz",
                link("https://id.gs1.org/01/9780345418913/22/344/10/1223/21/765tz"));
        assertEquals("https://id.gs1.org/01/00040123451234/10/ABD", link("http://example.de/01/040123451234/cpv/344/lot/ABD"));
        assertEquals("https://id.gs1.org/8006/040123451234560102/10/XYZ",
                link("https://id.gs1.org/8006/040123451234560102/22/ABCD/10/XYZ"));
        assertEquals("https://id.gs1.org/417/4226350800008", link("https://example.co.uk/party/4226350800008"));
        assertEquals("https://id.gs1.org/414/4280000000002/254/12", link("https://id.gs1.org/414/4280000000002/254/12"));
        assertEquals("https://id.gs1.org/8010/0628165987/8011/9876", link("https://id.gs1.org/8010/0628165987/8011/9876"));
        assertEquals("https://id.gs1.org/253/4602443000331XYZ", link("https://id.gs1.org/253/4602443000331XYZ/"));
    }

    @Test
    void whatIsNoGs1KeyIsLeftAlone() {
        assertNull(link("http://example.org/123/4012345ABC987/456/4711"));
        assertNull(link("http://id.gs1.org/99/9780345418913"));
        assertNull(link("http://id.gs1.org/01/9780345418913/99/utfgf"));
        assertNull(link("http://example.de/abc/9780345418913"));
        assertNull(link("http://example.de/01/97803"));
        assertNull(link("https://id.gs1.org/8006/04012345123456/22/ABCD/10/XYZ"));
        assertNull(link("https://id.gs1.org/01/09780345418913/21/%ZZ"));
        assertNull(link("urn:epc:id:sgtin:4012345.11111.1"));
        assertNull(link("urn:epc:id:bic:CSQU3054383"));
        assertNull(link("urn:epcglobal:cbv:bt:0614141073467:1152"));
        assertNull(link("geo:47.506694,11.104301"));
        assertNull(link("42"));
    }

    @Test
    void timestampsAreUtcMillisecondsRoundedHalfUp() {
        assertEquals("2023-02-02T11:04:03.142Z", Values.timestamp("2023-02-02T11:04:03.1415Z"));
        assertEquals("2023-02-02T11:04:03.141Z", Values.timestamp("2023-02-02T11:04:03.1414Z"));
        assertEquals("2020-03-04T10:00:30.000Z", Values.timestamp("2020-03-04T11:00:30+01:00"));
        assertEquals("2005-04-04T02:33:31.116Z", Values.timestamp("2005-04-03T20:33:31.116000-06:00"));
        // a carry from the milliseconds runs through seconds, minutes, hours, days and years
        assertEquals("2025-01-01T00:00:00.000Z", Values.timestamp("2024-12-31T23:59:59.9996Z"));
        assertEquals("2019-04-02T13:59:59.999Z", Values.timestamp("2019-04-02T14:59:59.999+01:00"));
        assertEquals("no time at all", Values.timestamp(" no time at all "));
    }

    /** The short way through plainly written times answers as the full parser does, or leaves them to it. */
    @Test
    void plainTimesAreReadAsTheFullParserReadsThem() {
        java.util.Random random = new java.util.Random(20261204);
        int plain = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder time = new StringBuilder();
            time.append(String.format("%04d-%02d-%02d", pick(random, 0, 1, 1970, 2026, 9999), 1 + random.nextInt(13),
                    random.nextInt(32)));
            time.append(random.nextInt(50) == 0 ? 't' : 'T');
            time.append(String.format("%02d:%02d", random.nextInt(25), random.nextInt(61)));
            if (random.nextInt(20) != 0) {
                time.append(String.format(":%02d", random.nextInt(61)));
                int fraction = random.nextInt(12);
                if (fraction > 0) {
                    time.append('.');
                    for (int d = 1; d < fraction; d++) {
                        time.append(random.nextInt(10) == 0 ? 9 : random.nextInt(10));
                    }
                }
            }
            switch (random.nextInt(5)) {
                case 0 -> time.append('Z');
                case 1 -> time.append(random.nextBoolean() ? 'z' : "+0100");
                default -> time.append(String.format("%c%02d:%02d", random.nextBoolean() ? '+' : '-', random.nextInt(19),
                        random.nextInt(61)));
            }
            String text = time.toString();
            String fast = Values.plainTimestamp(text);
            if (fast != null) {
                plain++;
                assertEquals(Values.parsedTimestamp(text), fast, text);
            }
        }
        assertTrue(plain > 50_000, "plain times: " + plain);
        assertEquals("9999-12-31T23:59:59.999Z", Values.timestamp("9999-12-31T23:59:59.999Z"));
        assertNull(Values.plainTimestamp("9999-12-31T23:59:59.9996Z"), "a fifth digit of year is the parser's");
        assertEquals(Values.parsedTimestamp("0000-01-01T00:30:00+01:00"), Values.timestamp("0000-01-01T00:30:00+01:00"));
    }

    private static int pick(java.util.Random random, int... years) {
        return random.nextBoolean() ? years[random.nextInt(years.length)] : random.nextInt(10_000);
    }

    @Test
    void numbersLoseTrailingZerosAndNothingElse() {
        assertEquals("1", Values.number("1.0"));
        assertEquals("0.3434", Values.number("0.34340"));
        assertEquals("200.5", Values.number("200.50"));
        assertEquals("123", Values.number("0123"));
        assertEquals("1000", Values.number("1e3"));
        assertEquals("0", Values.number("0.000"));
        assertEquals("-0", Values.number("-0.0"));
        assertEquals("-12.5", Values.number("-12.50"));
        assertEquals("1e99999", Values.number("1e99999"));
        assertEquals("f0f0f0", Values.number("f0f0f0"));
        assertEquals("+01:00", Values.number("+01:00"));
        assertEquals("2013-06-08", Values.number("2013-06-08"));
    }

    @Test
    void standardTermsAndCbvUrnsBecomeWebUris() {
        assertEquals("https://ref.gs1.org/cbv/BizStep-receiving",
                Values.vocabulary("receiving", "https://ref.gs1.org/cbv/BizStep-"));
        assertEquals("https://ref.gs1.org/cbv/BizStep-receiving",
                Values.vocabulary("urn:epcglobal:cbv:bizstep:receiving", "https://ref.gs1.org/cbv/BizStep-"));
        assertEquals("http://epcis.example.com/user/vocab/bizstep/exampling",
                Values.vocabulary("http://epcis.example.com/user/vocab/bizstep/exampling", "https://ref.gs1.org/cbv/BizStep-"));
        assertEquals("https://ref.gs1.org/voc/Temperature", Values.canonical("gs1:Temperature"));
        assertEquals("https://ref.gs1.org/cbv/Comp-latitude", Values.canonical("cbv:Comp-latitude"));
        assertEquals("https://ref.gs1.org/cbv/Disp-in_transit", Values.canonical("urn:epcglobal:cbv:disp:in_transit"));
        assertEquals("example:x", Values.canonical("example:x"));
    }

    @Test
    void stringsSortByCodePointAsUtf8BytesWould() {
        // U+FF21 sorts below U+1F600 by code point but above its surrogate pair by UTF-16 unit.
        List<String> strings = new ArrayList<>(List.of("\uD83D\uDE00", "\uFF21", "Z", "a", "{", "="));
        strings.sort(Values.CODE_POINT_ORDER);
        assertEquals(List.of("=", "Z", "a", "{", "\uFF21", "\uD83D\uDE00"), strings);
        assertTrue(Values.CODE_POINT_ORDER.compare("ab", "abc") < 0);
    }

    private static String link(String value) {
        return DigitalLinks.normalise(value);
    }
}
