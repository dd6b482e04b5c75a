package io.tracemark.trace.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The stored text of a row's steps: short, and read back exactly as written, old rows included. */
class StepCodecTest {

    private static final String SITE = "https://id.gs1.org/414/9506115668520";
    private static final String SHOP = "https://id.gs1.org/414/9506115668537";

    @Test
    void stepsReadBackAsTheyWereWritten() {
        List<ViewStep> steps = List.of(
                new ViewStep(7, OffsetDateTime.parse("2026-10-01T10:04:00.250Z"), "+01:00", "commissioning", "active",
                        SITE, SITE, null, null, null),
                new ViewStep(9, OffsetDateTime.parse("2026-10-01T14:54:00.123456Z"), "+01:00", "shipping", "in_transit",
                        SITE, SHOP, List.of(List.of("owning_party", "https://id.gs1.org/417/9506115668537")),
                        "https://id.gs1.org/00/095060007093958360", null),
                new ViewStep(12, OffsetDateTime.parse("2026-10-02T08:00:00Z"), null, "recalling", null, null, null,
                        null, "urn:epc:class:lgtin:4012345.011111.L1", "contamination"));

        String text = StepCodec.write(steps);

        assertEquals(steps, StepCodec.read(text));
        // A time to the millisecond is a number; a finer one keeps its digits as text.
        assertTrue(text.contains("\"t\":1790849040250"), text);
        assertTrue(text.contains("\"t\":\"2026-10-01T14:54:00.123456Z\""), text);
        // A business location equal to the read point is not spelled out twice.
        assertTrue(text.contains("\"rp\":\"" + SITE + "\",\"bl\":0"), text);
        assertTrue(text.contains("\"bl\":\"" + SHOP + "\""), text);
    }

    @Test
    void rowsWrittenBeforeTheShortFormReadTheSame() {
        String stored = "[{\"r\":7,\"t\":\"2026-10-01T10:04:00.250Z\",\"o\":\"+01:00\",\"s\":\"commissioning\","
                + "\"d\":\"active\",\"rp\":\"" + SITE + "\",\"bl\":\"" + SITE + "\"}]";

        List<ViewStep> steps = StepCodec.read(stored);

        assertEquals(List.of(new ViewStep(7, OffsetDateTime.parse("2026-10-01T10:04:00.250Z"), "+01:00", "commissioning",
                "active", SITE, SITE, null, null, null)), steps);
        assertTrue(StepCodec.write(steps).length() < stored.length());
    }

    @Test
    void stepsAppendedToStoredTextReadAsOneList() {
        ViewStep first = new ViewStep(1, OffsetDateTime.parse("2026-10-01T10:00:00Z"), null, "packing", null, SITE, SITE,
                null, null, null);
        ViewStep second = new ViewStep(2, OffsetDateTime.parse("2026-10-01T11:00:00Z"), null, "shipping", null, SITE,
                null, null, null, null);

        String text = StepCodec.append(StepCodec.write(List.of(first)), List.of(second));

        assertEquals(List.of(first, second), StepCodec.read(text));
        assertFalse(text.contains("\"bl\":null"), text);
    }
}
