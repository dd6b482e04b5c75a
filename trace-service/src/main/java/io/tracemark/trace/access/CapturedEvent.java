package io.tracemark.trace.access;

import java.util.List;

/**
 * What the write rules look at in one event about to be captured, each identifier in its
 * canonical form (a Digital Link URI on id.gs1.org) with the field that named it, so that a
 * refusal names the field.
 *
 * @param path where the event is in the request, e.g. {@code epcisBody.eventList[3]}
 * @param bizStep the business step, bare CBV name (null when none)
 * @param disposition the disposition, bare CBV name (null when none)
 * @param readPoint the read point (null when none)
 * @param bizLocation the business location (null when none)
 * @param parties the sources and destinations, e.g. {@code sourceList[0].source}
 * @param epcs the EPCs of every list and the parentID, e.g. {@code epcList[2]}
 * @param classes the EPC classes of every quantity list, e.g. {@code quantityList[0].epcClass}
 */
public record CapturedEvent(String path, String bizStep, String disposition, Named readPoint, Named bizLocation,
        List<Named> parties, List<Named> epcs, List<Named> classes) {

    /** An identifier and the field (under the event's path) that named it. */
    public record Named(String field, String value) {
    }
}
