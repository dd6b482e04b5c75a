package io.tracemark.trace.epcis;

/** Conversions tests need to write the same identifier the other way. */
final class EpcisResourceTestSupport {

    private EpcisResourceTestSupport() {
    }

    /** The canonical Digital Link of an SGTIN URN under the six-digit test company prefix 950600. */
    static String digitalLinkOf(String sgtinUrn) {
        String[] parts = sgtinUrn.substring("urn:epc:id:sgtin:".length()).split("\\.");
        String body = parts[1].charAt(0) + parts[0] + parts[1].substring(1);
        return "https://id.gs1.org/01/" + io.tracemark.fixtures.Gs1Numbers.withCheckDigit(body) + "/21/" + parts[2];
    }
}
