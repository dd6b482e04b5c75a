package io.tracemark.trace.roles;

import java.util.Set;

/** The roles of the brief. Everything that writes names the roles allowed to do it. */
public final class Roles {
    public static final String ADMIN = "admin";
    public static final String OPERATOR = "operator";
    public static final String STATION = "station";
    public static final String PARTNER = "partner";
    public static final String REGULATOR = "regulator";

    public static final Set<String> ALL = Set.of(ADMIN, OPERATOR, STATION, PARTNER, REGULATOR);

    private Roles() {
    }
}
