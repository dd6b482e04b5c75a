package io.tracemark.trace.epcis;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where an EPCIS event names things, and the role each field gives them in the ledger. */
final class EpcisFields {

    /** Lists of EPCs, by field, with their role in event_epc. */
    static final Map<String, String> EPC_LISTS = ordered(
            "epcList", "EPC_LIST",
            "childEPCs", "CHILD",
            "inputEPCList", "INPUT",
            "outputEPCList", "OUTPUT");

    static final String PARENT_ID = "parentID";
    static final String PARENT_ROLE = "PARENT";

    /** Lists of quantity elements ({epcClass, quantity, uom}), by field, with their role in event_quantity. */
    static final Map<String, String> QUANTITY_LISTS = ordered(
            "quantityList", "QUANTITY",
            "childQuantityList", "CHILD",
            "inputQuantityList", "INPUT",
            "outputQuantityList", "OUTPUT");

    /** Objects whose "id" is a location. */
    static final String[] LOCATIONS = { "readPoint", "bizLocation" };

    /** Lists of {type, source|destination}, by field, with the key holding the identifier. */
    static final Map<String, String> PARTIES = ordered(
            "sourceList", "source",
            "destinationList", "destination");

    static final String[] STANDARD_TYPES = { "ObjectEvent", "AggregationEvent", "TransactionEvent",
            "TransformationEvent", "AssociationEvent" };

    private static final String[][] CBV_PREFIXES = {
            { "urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-" },
            { "urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-" },
            { "urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-" } };

    private EpcisFields() {
    }

    /**
     * CBV values are written three ways (shipping, urn:epcglobal:cbv:bizstep:shipping,
     * https://ref.gs1.org/cbv/BizStep-shipping); the ledger keeps the bare name so that all match.
     * Values outside the CBV stay as written.
     */
    static String cbv(String value) {
        if (value == null) {
            return null;
        }
        for (String[] forms : CBV_PREFIXES) {
            for (String prefix : forms) {
                if (value.startsWith(prefix) && value.length() > prefix.length()) {
                    return value.substring(prefix.length());
                }
            }
        }
        return value;
    }

    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
