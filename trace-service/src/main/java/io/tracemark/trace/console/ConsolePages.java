package io.tracemark.trace.console;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.FormAuthenticationMechanism;
import io.tracemark.trace.batch.Batch;
import io.tracemark.trace.problem.ProblemException;
import io.tracemark.trace.product.Product;
import io.tracemark.trace.security.Accounts;
import io.tracemark.trace.site.Line;
import io.tracemark.trace.site.Site;
import io.tracemark.trace.scan.Scan;
import io.tracemark.trace.tracing.TraceResource;

/**
 * The console's pages, for people in a browser signed in with the sign-in form: search, an
 * item's evidence, a batch's forward trace and recall (regulators and admins), and the line view
 * (operators and admins). The figures that change are fetched by console.js from {@link ConsoleApi}.
 */
@Path("/console")
@Tag(name = "Console")
@TemplateData(target = Batch.class)
@TemplateData(target = Product.class)
@TemplateData(target = Line.class)
@TemplateData(target = Site.class)
@TemplateData(target = SearchHit.class)
@Produces(Pages.HTML)
public class ConsolePages {

    private static final TypeReference<Map<String, Object>> AS_MAP = new TypeReference<>() {
    };

    private final Template signIn;
    private final Template search;
    private final Template item;
    private final Template batch;
    private final Template line;
    private final Template refused;
    private final ConsoleSearch searching;
    private final ItemTable itemTable;
    private final TraceResource traces;
    private final ConsoleConfig config;
    private final SecurityIdentity identity;
    private final ObjectMapper json;
    private final Accounts accounts;

    public ConsolePages(@Location("console/sign-in") Template signIn, @Location("console/search") Template search,
            @Location("console/item") Template item, @Location("console/batch") Template batch,
            @Location("console/line") Template line, @Location("console/refused") Template refused,
            ConsoleSearch searching, ItemTable itemTable, TraceResource traces, ConsoleConfig config,
            SecurityIdentity identity, ObjectMapper json, Accounts accounts) {
        this.signIn = signIn;
        this.search = search;
        this.item = item;
        this.batch = batch;
        this.line = line;
        this.refused = refused;
        this.searching = searching;
        this.itemTable = itemTable;
        this.traces = traces;
        this.config = config;
        this.identity = identity;
        this.json = json;
        this.accounts = accounts;
    }

    @GET
    @Path("sign-in")
    @Operation(summary = "The console's sign-in page", description = "Posts to /console/j_security_check.")
    public Response signIn(@QueryParam("failed") boolean failed, @QueryParam("signed-out") boolean signedOut) {
        return Pages.page(failed ? 401 : 200, signIn.data("failed", failed).data("signedOut", signedOut));
    }

    @POST
    @Path("sign-out")
    @Operation(summary = "Sign out of the console", description = "Ends every console session of the user on the "
            + "server, so that a copy of the session cookie opens nothing either, and removes the cookie. Needs the "
            + "page's X-CSRF-Token header.")
    @APIResponse(responseCode = "303", description = "Signed out; on to the sign-in page")
    @APIResponse(responseCode = "403", description = "No or a wrong X-CSRF-Token header")
    public Response signOut() {
        if (!identity.isAnonymous()) {
            accounts.signOut(identity.getPrincipal().getName());
            FormAuthenticationMechanism.logout(identity);
        }
        return Pages.redirect("/console/sign-in?signed-out=true");
    }

    @GET
    @Operation(summary = "The console's search page; operators are sent on to the line view")
    public Response search(@QueryParam("q") String query, @QueryParam("kind") String kind) {
        if (!Pages.mayOpen(identity, Pages.CONSOLE)) {
            return Pages.mayOpen(identity, Pages.LINE_VIEW) ? Pages.redirect("/console/line") : refused();
        }
        TemplateInstance page = signedIn(search).data("q", query == null ? "" : query)
                .data("kind", kind == null ? "any" : kind);
        if (query == null) {
            return Pages.ok(page.data("hits", null).data("problem", null));
        }
        try {
            return Pages.ok(page.data("hits", searching.search(query, kind)).data("problem", null));
        } catch (ProblemException e) {
            return Pages.page(e.type().status(), page.data("hits", List.of()).data("problem", e.getMessage()));
        }
    }

    @GET
    @Path("items")
    @SuppressWarnings("unchecked")
    @Operation(summary = "An item's evidence: origin, journey, where it is now, consumers' scans and their"
            + " counterfeit signals, with the ledger's chain check")
    public Response item(@QueryParam("code") String code) {
        if (!Pages.mayOpen(identity, Pages.CONSOLE)) {
            return refused();
        }
        try {
            Map<String, Object> trace = json.convertValue(traces.trace(code), AS_MAP);
            if (trace.get("journey") instanceof List<?> journey) {
                journey.forEach(step -> routeOf((Map<String, Object>) step));
            }
            Map<String, Object> ofCode = (Map<String, Object>) trace.get("code");
            return Pages.ok(signedIn(item).data("code", code).data("encodedCode", Pages.encode(code))
                    .data("trace", trace).data("destination", destination(trace))
                    .data("scans", json.convertValue(Scan.signals((String) ofCode.get("gtin"),
                            (String) ofCode.get("serial")), AS_MAP))
                    .data("problem", null));
        } catch (ProblemException e) {
            return Pages.page(e.type().status(), signedIn(item).data("code", code == null ? "" : code)
                    .data("trace", null).data("problem", e.getMessage()));
        }
    }

    @GET
    @Path("batches/{id}")
    @Operation(summary = "A batch's forward trace a page at a time, its chart, exports and recall")
    public Response batch(@PathParam("id") long id, @QueryParam("from") Long from) {
        if (!Pages.mayOpen(identity, Pages.CONSOLE)) {
            return refused();
        }
        Batch found = Batch.findById(id);
        if (found == null) {
            return Pages.page(404, signedIn(search).data("q", String.valueOf(id)).data("kind", "batch")
                    .data("hits", List.of()).data("problem", "Batch " + id + " does not exist"));
        }
        return Pages.ok(signedIn(batch).data("batch", found).data("rows", itemTable.page(found, from, config.pageSize()))
                .data("pageSize", config.pageSize()).data("firstPage", from == null));
    }

    @GET
    @Path("line")
    @Operation(summary = "The line view: live marking runs per station")
    public Response line() {
        return Pages.mayOpen(identity, Pages.LINE_VIEW) ? Pages.ok(signedIn(line)) : refused();
    }

    /**
     * Where the item was headed: the shop that sold it, or else the destination of the latest
     * shipment that named one.
     */
    static String destination(Map<?, ?> trace) {
        if (trace.get("sold") instanceof Map<?, ?> sold) {
            return "Sold at " + placeName(sold.get("place")) + " on " + sold.get("at");
        }
        String destination = "none recorded";
        if (trace.get("journey") instanceof List<?> journey) {
            for (Object step : journey) {
                if (step instanceof Map<?, ?> s && s.get("destinations") instanceof List<?> parties && !parties.isEmpty()
                        && parties.get(parties.size() - 1) instanceof Map<?, ?> party) {
                    destination = placeName(party.get("place")) + " (shipped " + s.get("eventTime") + ")";
                }
            }
        }
        return destination;
    }

    /**
     * A step's sources and destinations as one line, each place once: a shipment names a site as
     * both owning party and location, which a reader needs to see only once.
     */
    private static void routeOf(Map<String, Object> step) {
        String from = names(step.get("sources"));
        String to = names(step.get("destinations"));
        step.put("route", from.isEmpty() && to.isEmpty() ? "" : from + " → " + to);
    }

    private static String names(Object parties) {
        Set<String> names = new LinkedHashSet<>();
        if (parties instanceof List<?> list) {
            list.forEach(party -> names.add(party instanceof Map<?, ?> p ? placeName(p.get("place")) : ""));
        }
        return String.join(", ", names);
    }

    private static String placeName(Object place) {
        if (place instanceof Map<?, ?> p) {
            Object name = p.get("name") != null ? p.get("name") : p.get("id");
            return String.valueOf(name);
        }
        return "an unrecorded place";
    }

    private TemplateInstance signedIn(Template template) {
        return template.data("user", identity.getPrincipal().getName()).data("csrf", CsrfTokens.of(identity))
                .data("console", Pages.mayOpen(identity, Pages.CONSOLE))
                .data("lineView", Pages.mayOpen(identity, Pages.LINE_VIEW));
    }

    private Response refused() {
        return Pages.page(403, signedIn(refused));
    }
}
