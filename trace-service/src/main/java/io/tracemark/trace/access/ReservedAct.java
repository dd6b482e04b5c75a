package io.tracemark.trace.access;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import io.tracemark.trace.access.Caller.Kind;

/**
 * Business steps and dispositions of the CBV that only some roles may record, wherever the event
 * happens: they change what an item is (made, withdrawn, ended), which the brand owner or an
 * authority answers for, not the company that happens to hold the item.
 */
enum ReservedAct {
    /** A recall withdraws a whole lot from sale; the brand owner or an authority decides it. */
    RECALL("a recall", EnumSet.of(Kind.ADMIN, Kind.OPERATOR, Kind.REGULATOR), Set.of(), Set.of("recalled")),
    /** Ending an item's code: a decommissioned or destroyed code no longer reads genuine. */
    END_OF_LIFE("the end of an item's code", EnumSet.of(Kind.ADMIN, Kind.OPERATOR),
            Set.of("decommissioning", "destroying", "killing"), Set.of("destroyed", "inactive")),
    /** Commissioning makes a code an item of the brand: the factory's line or the brand owner says so. */
    COMMISSIONING("the production of an item", EnumSet.of(Kind.ADMIN, Kind.OPERATOR, Kind.STATION),
            Set.of("commissioning", "creating_class_instance"), Set.of("active"));

    final String what;
    final Set<Kind> roles;
    final Set<String> bizSteps;
    final Set<String> dispositions;

    ReservedAct(String what, Set<Kind> roles, Set<String> bizSteps, Set<String> dispositions) {
        this.what = what;
        this.roles = roles;
        this.bizSteps = bizSteps;
        this.dispositions = dispositions;
    }

    /** Who may record it, in words: "admins, operators and regulators". */
    String whoMay() {
        var names = roles.stream().map(kind -> kind.name().toLowerCase() + "s").collect(Collectors.toList());
        String last = names.remove(names.size() - 1);
        return String.join(", ", names) + " and " + last;
    }
}
