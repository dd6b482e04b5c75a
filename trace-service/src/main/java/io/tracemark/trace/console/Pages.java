package io.tracemark.trace.console;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.tracemark.trace.roles.Roles;

/** What every console page shares: who may open which, and how a page is answered. */
final class Pages {

    /** The regulator console: regulators, and admins who see everything. */
    static final String[] CONSOLE = { Roles.ADMIN, Roles.REGULATOR };
    /** The line view: operators, and admins. */
    static final String[] LINE_VIEW = { Roles.ADMIN, Roles.OPERATOR };

    static final String HTML = MediaType.TEXT_HTML + ";charset=UTF-8";

    private Pages() {
    }

    static boolean mayOpen(SecurityIdentity identity, String... roles) {
        return Arrays.stream(roles).anyMatch(identity::hasRole);
    }

    static Response page(int status, TemplateInstance page) {
        // Pages show live figures: a browser's back button should ask again rather than show old ones.
        return Response.status(status).type(HTML).header("Cache-Control", "no-store").entity(page.render()).build();
    }

    static Response ok(TemplateInstance page) {
        return page(200, page);
    }

    static Response redirect(String path) {
        return Response.seeOther(URI.create(path)).build();
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
