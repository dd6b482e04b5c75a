package io.tracemark.trace.scan;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.tracemark.trace.problem.Problem;
import io.tracemark.trace.problem.ProblemType;
import io.tracemark.trace.scan.ConsumerTrace.PublicPlace;
import io.tracemark.trace.scan.ConsumerTrace.PublicStep;

/**
 * Renders the consumer's pages: an item's page (product, verdict and what to do, origin, journey,
 * sale, earlier scans), a problem page, and the photo form. Only what the consumer JSON view already
 * shows reaches a page: no partners, no business transactions, of other scans only their number and
 * the first one's day and country.
 */
@ApplicationScoped
public class ScanPages {

    /** Local time where the step happened, with the offset so that no reader takes it for their own. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm xxx");

    /** What every page shows: its language and the photo form's size limit. */
    public interface Page {
        String lang();

        long photoMegabytes();
    }

    public record Product(String name, String brand, String description) {
    }

    public record Origin(String factory, String line, String lot, String productionDate, String expiryDate) {
    }

    /** One step of the journey: machine-readable time, time for people, what happened, where, where to. */
    public record Step(String datetime, String time, String step, String place, String destination) {
    }

    public record ItemPage(String lang, long photoMegabytes, String verdict, String gtin, String serial,
            Product product, Origin origin, List<Step> journey, Step sold, Earlier earlier, String path) implements Page {
    }

    /** The scans before this one: how many, whether more than that, the first's day and country (in words). */
    public record Earlier(long count, boolean more, String firstOn, String firstCountry) {
        /** Whether no scan came before this one (templates compare no numbers). */
        public boolean first() {
            return count == 0;
        }

        public boolean once() {
            return count == 1 && !more;
        }
    }

    public record ProblemPage(String lang, long photoMegabytes, int status, String kind, String detail,
            long retryAfterSeconds) implements Page {
    }

    public record PhotoPage(String lang, long photoMegabytes) implements Page {
    }

    @CheckedTemplate(basePath = "scan")
    static class Templates {
        static native TemplateInstance item(ItemPage page);

        static native TemplateInstance problem(ProblemPage page);

        static native TemplateInstance photo(PhotoPage page);
    }

    private final long photoMegabytes;

    public ScanPages(ScanConfig config) {
        this.photoMegabytes = Math.max(1, config.photo().maxBytes() / (1024 * 1024));
    }

    /**
     * The page of a scanned code: all the consumer view holds, which for a code that never reached
     * circulation is the code and the warning (and the product it was issued for, when it was).
     */
    public String item(ConsumerTrace trace, String line, String acceptLanguage, String path) {
        Locale language = Negotiation.language(acceptLanguage);
        var origin = trace.origin();
        var product = trace.product();
        ItemPage page = new ItemPage(language.getLanguage(), photoMegabytes, trace.verdict().json(), product.gtin(),
                trace.serial(),
                product.name() == null ? null : new Product(product.name(), product.brand(), product.description()),
                origin == null ? null
                        : new Origin(place(origin.madeAt(), language), line, origin.lot(),
                                date(origin.productionDate()), date(origin.expiryDate())),
                trace.journey().stream().map(step -> step(step, language)).toList(),
                trace.sold() == null ? null
                        : new Step(datetime(trace.sold().at()), time(trace.sold().at()), "retail_selling",
                                Objects.requireNonNullElse(place(trace.sold().place(), language), "–"), null),
                earlier(trace.earlierScans(), language), path);
        return render(Templates.item(page), language);
    }

    /** A problem as a page: what went wrong and what to do, in the reader's language. */
    public String problem(Problem problem, long retryAfterSeconds, String acceptLanguage) {
        Locale language = Negotiation.language(acceptLanguage);
        ProblemPage page = new ProblemPage(language.getLanguage(), photoMegabytes, problem.status(), kind(problem),
                problem.detail(), retryAfterSeconds);
        return render(Templates.problem(page), language);
    }

    /** A photo whose code was read but is not one of ours (another site's address, another company's code). */
    public String foreignCode(String detail, String acceptLanguage) {
        Locale language = Negotiation.language(acceptLanguage);
        ProblemPage page = new ProblemPage(language.getLanguage(), photoMegabytes, 400, "foreign-code", detail, 0);
        return render(Templates.problem(page), language);
    }

    public String photoForm(String acceptLanguage) {
        Locale language = Negotiation.language(acceptLanguage);
        return render(Templates.photo(new PhotoPage(language.getLanguage(), photoMegabytes)), language);
    }

    private static String render(TemplateInstance template, Locale language) {
        return template.setLocale(language).render();
    }

    /** The problem's type, except that a photo with no readable code gets advice of its own. */
    private static String kind(Problem problem) {
        boolean photo = problem.violations() != null
                && problem.violations().stream().anyMatch(violation -> "photo".equals(violation.field()));
        if (photo && ProblemType.VALIDATION_FAILED.uri().equals(problem.type())) {
            return "unreadable-photo";
        }
        String prefix = "urn:tracemark:problem:";
        return problem.type() != null && problem.type().startsWith(prefix) ? problem.type().substring(prefix.length())
                : "internal-error";
    }

    private static Earlier earlier(Scan.Earlier earlier, Locale language) {
        if (earlier == null) {
            return null;
        }
        return new Earlier(earlier.count(), earlier.more(), date(earlier.firstOn()),
                countryName(earlier.firstCountry(), language));
    }

    private static Step step(PublicStep step, Locale language) {
        return new Step(datetime(step.time()), time(step.time()), step.bizStep(), place(step.place(), language),
                place(step.destination(), language));
    }

    /** Name, city and country (in the reader's language), leaving out what is unknown. */
    private static String place(PublicPlace place, Locale language) {
        if (place == null) {
            return null;
        }
        String country = countryName(place.country(), language);
        return Stream.of(place.name(), place.city(), country).filter(Objects::nonNull).distinct()
                .collect(Collectors.joining(", "));
    }

    /** An ISO 3166-1 country code as the reader's language names the country; null stays null. */
    private static String countryName(String code, Locale language) {
        return code == null ? null : new Locale("", code).getDisplayCountry(language);
    }

    private static String date(LocalDate date) {
        return date == null ? null : date.toString();
    }

    private static String datetime(OffsetDateTime time) {
        return time == null ? null : time.toString();
    }

    private static String time(OffsetDateTime time) {
        return time == null ? null : time.format(TIME);
    }
}
