package io.tracemark.trace.movement;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import io.tracemark.trace.security.AppUser;
import io.tracemark.trace.security.Roles;
import io.tracemark.trace.security.StationScope;
import io.tracemark.trace.site.Line;
import io.tracemark.trace.site.Site;

/**
 * Who may report for which site. Admins and operators report for every site; a station for the
 * factory its line belongs to; a partner for the sites an admin assigned to it (table
 * {@code site_partner}) and no others.
 */
@ApplicationScoped
public class SiteAccess {

    private final EntityManager em;

    public SiteAccess(EntityManager em) {
        this.em = em;
    }

    /** Refuses with 403 unless the caller may report what happens at the site. */
    public void require(SecurityIdentity identity, Site site) {
        if (identity.hasRole(Roles.ADMIN) || identity.hasRole(Roles.OPERATOR)) {
            return;
        }
        if (identity.hasRole(Roles.STATION)) {
            Object lineId = identity.getAttribute(StationScope.LINE_ID);
            Line line = lineId instanceof Long id ? Line.findById(id) : null;
            if (line != null && line.site.id.equals(site.id)) {
                return;
            }
            throw new ForbiddenException("This station key belongs to a line of another site than site " + site.id
                    + " (" + site.gln + ")");
        }
        if (identity.hasRole(Roles.PARTNER)) {
            AppUser user = AppUser.findByUsername(identity.getPrincipal().getName()).orElse(null);
            if (user != null && sitesOf(user.id).contains(site.id)) {
                return;
            }
            throw new ForbiddenException("Partner " + identity.getPrincipal().getName()
                    + " does not report for site " + site.id + " (" + site.gln + ")");
        }
        throw new ForbiddenException("Your role does not report for sites");
    }

    /** The ids of the sites a partner user reports for, in id order. */
    public List<Long> sitesOf(long userId) {
        return em.createNativeQuery("select site_id from site_partner where user_id = ?1 order by site_id")
                .setParameter(1, userId).getResultList().stream().map(id -> ((Number) id).longValue()).toList();
    }

    /** Replaces the sites a partner user reports for. */
    public void assign(long userId, List<Long> siteIds) {
        em.createNativeQuery("delete from site_partner where user_id = ?1").setParameter(1, userId).executeUpdate();
        for (long siteId : siteIds) {
            em.createNativeQuery("insert into site_partner (user_id, site_id) values (?1, ?2)")
                    .setParameter(1, userId).setParameter(2, siteId).executeUpdate();
        }
    }
}
