package io.tracemark.trace.security;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;

import io.tracemark.trace.roles.Roles;

/** A station key acts for one line only; people with wider roles are not limited by it. */
public final class StationScope {

    /** Attribute of a station's identity: the id of the line its key belongs to. */
    public static final String LINE_ID = "tracemark.lineId";

    private StationScope() {
    }

    public static void requireLine(SecurityIdentity identity, long lineId) {
        if (identity.hasRole(Roles.ADMIN) || identity.hasRole(Roles.OPERATOR) || identity.hasRole(Roles.REGULATOR)) {
            return;
        }
        Object own = identity.getAttribute(LINE_ID);
        if (!(own instanceof Long ownLine) || ownLine != lineId) {
            throw new ForbiddenException("This station key belongs to another line than line " + lineId);
        }
    }
}
