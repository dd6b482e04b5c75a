package io.tracemark.trace.access;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tracemark.trace.gs1.EpcIdentifier;

/**
 * Which ledger events a caller may read, as an SQL condition on the {@code event} table (alias
 * {@code e}) with its named parameters, so that a query filters before it counts or pages and
 * neither a count nor a page token can tell a hidden event exists. Written in the SQL that
 * PostgreSQL and the embedded H2 (PostgreSQL mode) both accept; parameter names start with
 * {@code v}, which the event query's own ({@code p0}, {@code p1}, ...) never do.
 *
 * @param where nothing for a caller who reads the whole ledger, else conditions starting with " and "
 */
public record Visibility(String where, Map<String, Object> values) {

    static final Visibility WHOLE_LEDGER = new Visibility("", Map.of());
    static final Visibility NOTHING = new Visibility(" and 1 = 0", Map.of());

    public boolean wholeLedger() {
        return where.isEmpty();
    }

    /**
     * Events a partner or station may read: those it captured itself, those at one of its sites
     * (read point or business location, any extension of the site's GLN), and those naming an
     * item while the item was in its custody: after an event of its own sites naming the item
     * (and recorded no later than the event read, so that a back-dated claim opens no past), and
     * before the item was next shipped from one of its sites.
     */
    static Visibility of(Caller caller) {
        Map<String, Object> values = new HashMap<>();
        values.put("vParty", caller.party());
        if (caller.sites().isEmpty()) {
            return new Visibility(" and e.captured_by = :vParty", values);
        }
        Set<String> glns = caller.sites();
        List<String> locations = new ArrayList<>();
        List<String> extensions = new ArrayList<>();
        for (String gln : glns) {
            String location = new EpcIdentifier("414", gln, null, null).canonical();
            locations.add(location);
            extensions.add(location + "/254/%");
        }
        values.put("vSites", locations);
        for (int i = 0; i < extensions.size(); i++) {
            values.put("vExt" + i, extensions.get(i));
        }
        String where = " and (e.captured_by = :vParty or " + at("e", extensions.size())
                + " or exists (select 1 from event_epc x join event_epc ax on ax.epc = x.epc"
                + " join event a on a.id = ax.event_row"
                + " where x.event_row = e.id and " + at("a", extensions.size())
                + " and (a.biz_step is null or a.biz_step <> 'shipping')"
                + " and a.event_time <= e.event_time and a.record_time <= e.record_time"
                + " and not exists (select 1 from event_epc sx join event s on s.id = sx.event_row"
                + " where sx.epc = x.epc and " + at("s", extensions.size()) + " and s.biz_step = 'shipping'"
                + " and s.event_time >= a.event_time and s.event_time < e.event_time)))";
        return new Visibility(where, values);
    }

    /** The event of the alias happened at one of the sites: its read point or business location is one. */
    private static String at(String alias, int extensions) {
        StringBuilder sql = new StringBuilder("(").append(alias).append(".read_point in (:vSites) or ").append(alias)
                .append(".biz_location in (:vSites)");
        for (int i = 0; i < extensions; i++) {
            sql.append(" or ").append(alias).append(".read_point like :vExt").append(i).append(" or ").append(alias)
                    .append(".biz_location like :vExt").append(i);
        }
        return sql.append(')').toString();
    }
}
