package io.tracemark.trace.demo;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tracemark.marker.verify.Grade;
import io.tracemark.trace.gs1.Gs1Keys;
import io.tracemark.trace.marking.LineMarker;
import io.tracemark.trace.marking.LineMarkerResource;
import io.tracemark.trace.product.Product;
import io.tracemark.trace.product.ProductResource;
import io.tracemark.trace.site.Line;
import io.tracemark.trace.site.Site;
import io.tracemark.trace.site.SiteResource;
import io.tracemark.trace.site.SiteRole;

/**
 * The demo's master data: one product, a factory with a marking line whose marker speaks MQTT
 * through the in-JVM broker, a warehouse, a distributor and two shops. Found when an earlier
 * demo made them in this data folder, made through the API's own operations otherwise. Every
 * name says "Demo", and the numbers are under GS1's 950 prefix, which no real company holds.
 */
@ApplicationScoped
public class DemoWorld {

    static final String GTIN = withCheckDigit("0950600099901");
    static final String LINE_CODE = "L1";
    static final String JOB = "BOTTLE";
    static final String TOPIC_PREFIX = "tracemark";
    static final String TOPIC_SITE = "demo-factory";

    /** A demo site: where it is, so that the scan page shows a plausible road. */
    record Place(String gln, String name, SiteRole role, String city, double latitude, double longitude) {
    }

    static final Place FACTORY = place("001", "Demo olive mill", SiteRole.FACTORY, "Jaén", 37.77, -3.79);
    static final Place WAREHOUSE = place("002", "Demo warehouse", SiteRole.WAREHOUSE, "Madrid", 40.42, -3.70);
    static final Place DISTRIBUTOR = place("003", "Demo distributor", SiteRole.DISTRIBUTOR, "Zaragoza", 41.65, -0.88);
    static final Place SHOP_A = place("004", "Demo shop Barcelona", SiteRole.RETAILER, "Barcelona", 41.39, 2.17);
    static final Place SHOP_B = place("005", "Demo shop Valencia", SiteRole.RETAILER, "Valencia", 39.47, -0.38);

    /** What the story needs of the master data. */
    record Ids(long productId, long lineId) {
    }

    private final DemoSession session;
    private final ProductResource products;
    private final SiteResource sites;
    private final LineMarkerResource markers;

    public DemoWorld(DemoSession session, ProductResource products, SiteResource sites, LineMarkerResource markers) {
        this.session = session;
        this.products = products;
        this.sites = sites;
        this.markers = markers;
    }

    /** Finds or makes everything; the line's marker is configured when it has no configuration yet. */
    Ids ensure() {
        long productId = findOrMake(() -> Product.findByGtin(GTIN).map(p -> p.id), this::makeProduct);
        long factoryId = ensure(FACTORY);
        List.of(WAREHOUSE, DISTRIBUTOR, SHOP_A, SHOP_B).forEach(this::ensure);
        long lineId = findOrMake(() -> Line.<Line>find("site.id = ?1 and code = ?2", factoryId, LINE_CODE)
                .firstResultOptional().map(line -> line.id), () -> makeLine(factoryId));
        if (QuarkusTransaction.requiringNew().call(() -> LineMarker.ofLine(lineId).isEmpty())) {
            session.call(() -> markers.put(lineId, markerInput()));
        }
        return new Ids(productId, lineId);
    }

    private long ensure(Place place) {
        return findOrMake(() -> Site.findByGln(place.gln()).map(site -> site.id), () -> makeSite(place));
    }

    private long makeProduct() {
        var input = new ProductResource.ProductInput(GTIN, "Demo olive oil 500 ml", "Tracemark demo",
                "Made up for Tracemark's demo mode: no such oil exists.", null, Map.of("volume", "500 ml"));
        return session.call(() -> ((ProductResource.ProductView) products.create(input).getEntity()).id());
    }

    private long makeSite(Place place) {
        var input = new SiteResource.SiteInput(place.gln(), place.name(), place.role(),
                new SiteResource.Address(null, place.city(), null, "ES"),
                new SiteResource.Coordinates(place.latitude(), place.longitude()));
        return session.call(() -> ((SiteResource.SiteView) sites.create(input).getEntity()).id());
    }

    private long makeLine(long factoryId) {
        var input = new SiteResource.LineInput(LINE_CODE, "Demo bottling line");
        return session.call(() -> ((SiteResource.LineView) sites.addLine(factoryId, input).getEntity()).id());
    }

    /** No broker URL: the station reaches its marker through the service's in-JVM broker. */
    private static LineMarkerResource.MarkerInput markerInput() {
        return new LineMarkerResource.MarkerInput("mqtt", JOB, 8, Grade.C, new LineMarkerResource.MqttInput(null,
                null, null, null, TOPIC_PREFIX, TOPIC_SITE, LINE_CODE, null, null));
    }

    private static long findOrMake(Supplier<Optional<Long>> find, Supplier<Long> make) {
        return QuarkusTransaction.requiringNew().call(find::get).orElseGet(make);
    }

    private static Place place(String number, String name, SiteRole role, String city, double latitude,
            double longitude) {
        return new Place(withCheckDigit("950600099" + number), name, role, city, latitude, longitude);
    }

    static String withCheckDigit(String body) {
        return body + Gs1Keys.checkDigit(body);
    }
}
