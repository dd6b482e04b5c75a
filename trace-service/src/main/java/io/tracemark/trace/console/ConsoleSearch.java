package io.tracemark.trace.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.tracemark.trace.batch.Batch;
import io.tracemark.trace.gs1.Gs1Keys;
import io.tracemark.trace.problem.ProblemException;
import io.tracemark.trace.problem.ProblemType;
import io.tracemark.trace.product.Product;
import io.tracemark.trace.site.Site;
import io.tracemark.trace.tracing.TraceResource;
import io.tracemark.trace.tracing.TraceService;

/**
 * The regulator's search box: a code (Digital Link, element string, EPC URN or bare serial), a
 * batch (id or lot), a product (GTIN or part of its name) or a site (GLN or part of its name).
 * Products and sites answer with their batches, which is where a regulator goes next.
 */
@ApplicationScoped
public class ConsoleSearch {

    /** What the search looks for; {@code ANY} tries each kind the text could be. */
    public enum Kind {
        ANY, CODE, BATCH, PRODUCT, SITE;

        static Kind of(String text) {
            if (text == null || text.isBlank()) {
                return ANY;
            }
            try {
                return valueOf(text.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid("kind", "must be any, code, batch, product or site");
            }
        }
    }

    static final int MAX_HITS = 50;
    static final int MAX_QUERY = 300;

    private final TraceResource traces;

    public ConsoleSearch(TraceResource traces) {
        this.traces = traces;
    }

    @Transactional
    public List<SearchHit> search(String query, String kindText) {
        Kind kind = Kind.of(kindText);
        if (query == null || query.isBlank()) {
            throw ProblemException.invalid("q", "is empty: type a code, serial, batch, lot, GTIN, GLN or a name");
        }
        if (query.length() > MAX_QUERY) {
            throw ProblemException.invalid("q", "is longer than " + MAX_QUERY + " characters");
        }
        String text = query.strip();
        List<SearchHit> hits = new ArrayList<>();
        if (kind == Kind.ANY || kind == Kind.CODE) {
            item(text, kind == Kind.CODE).ifPresent(hits::add);
        }
        if (kind == Kind.ANY || kind == Kind.BATCH) {
            batches(text, hits);
        }
        if (kind == Kind.ANY || kind == Kind.PRODUCT) {
            products(text, hits);
        }
        if (kind == Kind.ANY || kind == Kind.SITE) {
            sites(text, hits);
        }
        return hits.size() > MAX_HITS ? hits.subList(0, MAX_HITS) : hits;
    }

    /** The item a code names; a malformed code is an error only when the caller said it is a code. */
    private Optional<SearchHit> item(String text, boolean mustBeCode) {
        TraceService.ItemTrace trace;
        try {
            trace = traces.trace(text);
        } catch (ProblemException e) {
            if (mustBeCode || e.type() == ProblemType.NOT_FOUND && looksLikeCode(text)) {
                throw e;
            }
            return Optional.empty();
        }
        TraceService.CodeRef code = trace.code();
        return Optional.of(new SearchHit("item", code.uri(), trace.origin().product().name() + ", lot " + code.lot()
                + ", serial " + code.serial() + ", code " + code.state().name().toLowerCase(Locale.ROOT),
                "/console/items?code=" + Pages.encode(code.uri())));
    }

    /** A Digital Link, element string or EPC URN: if it names no item, the regulator should be told so. */
    private static boolean looksLikeCode(String text) {
        return text.contains("/01/") || text.startsWith("(01)") || text.startsWith("urn:epc:");
    }

    private static void batches(String text, List<SearchHit> hits) {
        if (text.chars().allMatch(Character::isDigit) && text.length() < 19) {
            Batch.<Batch>findByIdOptional(Long.parseLong(text)).ifPresent(batch -> hits.add(batchHit(batch)));
        }
        Batch.<Batch>find("lower(lot) = ?1", Sort.by("id").descending(), text.toLowerCase(Locale.ROOT))
                .page(Page.ofSize(MAX_HITS)).list().forEach(batch -> hits.add(batchHit(batch)));
    }

    private static void products(String text, List<SearchHit> hits) {
        List<Product> products = Gs1Keys.gtin14(text).map(gtin -> Product.findByGtin(gtin).stream().toList())
                .orElseGet(() -> Product.<Product>find("lower(name) like ?1", Sort.by("name"), like(text))
                        .page(Page.ofSize(MAX_HITS)).list());
        for (Product product : products) {
            List<Batch> batches = Batch.<Batch>find("product.id", Sort.by("id").descending(), product.id)
                    .page(Page.ofSize(MAX_HITS)).list();
            if (batches.isEmpty()) {
                hits.add(new SearchHit("product", product.name + " (GTIN " + product.gtin + ")", "no batches yet", null));
            }
            batches.forEach(batch -> hits.add(batchHit(batch)));
        }
    }

    private static void sites(String text, List<SearchHit> hits) {
        List<Site> sites = Gs1Keys.isGln(text) ? Site.findByGln(text).stream().toList()
                : Site.<Site>find("lower(name) like ?1", Sort.by("name"), like(text)).page(Page.ofSize(MAX_HITS)).list();
        for (Site site : sites) {
            List<Batch> batches = Batch.<Batch>find("line.site.id", Sort.by("id").descending(), site.id)
                    .page(Page.ofSize(MAX_HITS)).list();
            hits.add(new SearchHit("site", site.name + " (GLN " + site.gln + ")", place(site) + ", "
                    + (batches.isEmpty() ? "no batches made here" : batches.size() + " batches made here"), null));
            batches.forEach(batch -> hits.add(batchHit(batch)));
        }
    }

    private static SearchHit batchHit(Batch batch) {
        return new SearchHit("batch", "Batch " + batch.id + ", lot " + batch.lot, batch.product.name + " (GTIN "
                + batch.product.gtin + "), made " + batch.productionDate + " at " + batch.line.site.name + ", "
                + batch.codesAllocated + " codes", "/console/batches/" + batch.id);
    }

    private static String place(Site site) {
        String role = site.role == null ? "site" : site.role.json();
        return site.city == null ? role : role + " in " + site.city + (site.country == null ? "" : ", " + site.country);
    }

    /** A name pattern; wildcards typed by the user are taken out rather than escaped, for both databases. */
    private static String like(String text) {
        return "%" + text.toLowerCase(Locale.ROOT).replace("%", "").replace("_", "") + "%";
    }
}
