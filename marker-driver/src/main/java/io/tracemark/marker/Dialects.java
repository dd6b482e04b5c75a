package io.tracemark.marker;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The dialects on the class path, by name: each listed in META-INF/services/io.tracemark.marker.Dialect. */
public final class Dialects {

    private Dialects() {
    }

    public static Map<String, Dialect> available() {
        Map<String, Dialect> byName = new TreeMap<>();
        for (Dialect dialect : ServiceLoader.load(Dialect.class, Dialects.class.getClassLoader())) {
            byName.put(dialect.name(), dialect);
        }
        return byName;
    }

    /**
     * The dialect called {@code name}, or for {@code "name:options"} that dialect with those
     * options; the exception lists the known names, or names the option refused.
     */
    public static Dialect byName(String name) {
        int colon = name == null ? -1 : name.indexOf(':');
        if (colon >= 0) {
            return byName(name.substring(0, colon)).withOptions(name.substring(colon + 1));
        }
        Map<String, Dialect> known = available();
        Dialect dialect = known.get(name);
        if (dialect == null) {
            throw new IllegalArgumentException("Unknown marker dialect '" + name + "'; known: " + known.keySet());
        }
        return dialect;
    }
}
