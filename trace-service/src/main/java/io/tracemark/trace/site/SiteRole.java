package io.tracemark.trace.site;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a site does in the supply chain; only factories have marking lines. */
public enum SiteRole {
    FACTORY, WAREHOUSE, DISTRIBUTOR, RETAILER;

    @JsonValue
    public String json() {
        return name().toLowerCase();
    }

    @JsonCreator
    public static SiteRole fromJson(String text) {
        for (SiteRole role : values()) {
            if (role.json().equals(text)) {
                return role;
            }
        }
        throw new IllegalArgumentException("must be one of factory, warehouse, distributor, retailer");
    }
}
