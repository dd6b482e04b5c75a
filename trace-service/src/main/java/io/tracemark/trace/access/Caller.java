package io.tracemark.trace.access;

import java.util.Set;

/**
 * Who is writing or reading, as far as scope goes: the party the ledger records as captor, the
 * role that decides the caller's rights, and the sites it stands for.
 *
 * @param party how the ledger names the captor: {@code user:{name}}, {@code line:{id}} for every
 *        key of a station's line, or {@code service:{task}} for the service's own work
 * @param kind the widest of the caller's roles, which alone decides its rights
 * @param lineId the line of a station key, else null
 * @param sites the GLNs of the sites the caller stands for: a partner's assigned sites, a station's
 *        factory, the brand owner's own sites for an operator; empty for the others
 */
public record Caller(String party, Kind kind, Long lineId, Set<String> sites) {

    /** The rights a caller can have, widest first: a user with several roles acts with the first it has. */
    public enum Kind {
        /** The service's own work (commissioning good marks): trusted like an admin. */
        SERVICE,
        ADMIN,
        OPERATOR,
        REGULATOR,
        STATION,
        PARTNER,
        /** Authenticated with no role of the brief: may write nothing and read nothing of the ledger. */
        NONE
    }

    /** The service writing on its own account, e.g. {@code service:commissioning}. */
    public static Caller service(String party) {
        return new Caller(party, Kind.SERVICE, null, Set.of());
    }

    /** Admins, operators (the brand owner), regulators and the service read the whole ledger. */
    public boolean readsWholeLedger() {
        return kind == Kind.SERVICE || kind == Kind.ADMIN || kind == Kind.OPERATOR || kind == Kind.REGULATOR;
    }

    /** Admins and the service write anything anywhere. */
    public boolean writesAnything() {
        return kind == Kind.SERVICE || kind == Kind.ADMIN;
    }

    public boolean standsFor(String gln) {
        return gln != null && sites.contains(gln);
    }
}
