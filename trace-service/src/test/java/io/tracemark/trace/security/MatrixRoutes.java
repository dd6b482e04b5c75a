package io.tracemark.trace.security;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tracemark.trace.Api;
import io.tracemark.trace.security.AccessMatrix.Caller;
import io.tracemark.trace.security.MatrixStory.Home;

/**
 * How each route is called in a cell of the matrix: its path parameters filled with the story's
 * ids, and for writes a body that is valid for the caller's home, so that a refusal is about the
 * caller and an allowed caller really lands its write. A route the table does not know yet is
 * called with its parameters filled by name and an empty body.
 */
final class MatrixRoutes {

    /** One request of one cell. */
    record Call(String method, String path, String contentType, byte[] body, boolean freshSession, Runnable undo) {
    }

    static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)}");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Routes whose data is the partner shop's unless the caller stands for a line (receiving and selling happen at shops). */
    private static final Set<String> AT_SHOP = Set.of("POST /api/movements/receive", "POST /api/movements/sell");
    private static final String BOUNDARY = "matrix-boundary";

    private final MatrixStory story;

    MatrixRoutes(MatrixStory story) {
        this.story = story;
    }

    Call call(String route, Caller caller) {
        String method = route.substring(0, route.indexOf(' '));
        String template = route.substring(route.indexOf(' ') + 1);
        Home home = story.home(caller, AT_SHOP.contains(route));
        Map<String, String> parameters = new HashMap<>();
        Object body = switch (route) {
            case "POST /api/products" -> Map.of("gtin", Api.NUMBERS.gtin13(), "name", "Olive oil 1 l",
                    "brand", "Tracemark Farms");
            case "PUT /api/products/{id}" -> Map.of("gtin", story.productGtin, "name", "Olive oil 500 ml",
                    "brand", "Tracemark Farms");
            case "POST /api/sites" -> Map.of("gln", Api.NUMBERS.gln(), "name", "New shop",
                    "role", "retailer");
            case "PUT /api/sites/{id}" -> {
                parameters.put("id", String.valueOf(story.spareSiteId));
                yield Map.of("gln", story.spareSiteGln, "name", "Spare shop", "role", "retailer");
            }
            case "POST /api/sites/{id}/lines" -> {
                parameters.put("id", String.valueOf(story.factory.siteId()));
                yield Map.of("code", MatrixStory.fresh("L"), "name", "Canning line");
            }
            case "POST /api/lines/{lineId}/keys" -> Map.of("label", "station PC");
            case "DELETE /api/lines/{lineId}/keys/{id}" -> {
                parameters.put("lineId", String.valueOf(story.factory.lineId()));
                parameters.put("id", String.valueOf(story.freshKey()));
                yield null;
            }
            case "PUT /api/lines/{lineId}/marker" -> {
                parameters.put("lineId", String.valueOf(story.spareLineId));
                yield MatrixStory.MARKER;
            }
            case "POST /api/batches" -> Map.of("productId", story.productId, "lot", MatrixStory.fresh("LOT"),
                    "productionDate", "2026-11-20", "expiryDate", "2028-11-20", "lineId", home.lineId(),
                    "plannedQuantity", 100);
            case "POST /api/batches/{batchId}/codes" -> Map.of("count", 1);
            case "POST /api/users" -> Map.of("username", MatrixStory.fresh("matrix.user."), "password",
                    "a-long-enough-password", "roles", List.of("partner"));
            case "PUT /api/users/{id}/sites" -> Map.of("siteIds", List.of(story.shop.siteId()));
            case "POST /api/marking-runs" -> Map.of("batchId", Api.batch(), "count", 1, "driver", "agent");
            case "POST /api/marking-runs/{id}/pause", "POST /api/marking-runs/{id}/stop" -> {
                parameters.put("id", String.valueOf(story.freshRun()));
                yield null;
            }
            case "POST /api/marking-runs/{id}/resume" -> {
                long run = story.freshRun();
                Api.asAdmin().post("/api/marking-runs/" + run + "/pause").then().statusCode(200);
                parameters.put("id", String.valueOf(run));
                yield null;
            }
            case "POST /api/marking-runs/{id}/claims" -> {
                parameters.put("id", String.valueOf(story.freshRun()));
                yield Map.of("requestId", MatrixStory.fresh("claim-"), "count", 1);
            }
            case "POST /api/marking-runs/{id}/results" -> {
                long run = story.freshRun();
                parameters.put("id", String.valueOf(run));
                yield Map.of("results", List.of(Map.of("id", story.claimed(run), "state", "MARKED")));
            }
            case "PUT /api/marking-runs/{id}/station-status" -> {
                parameters.put("id", String.valueOf(story.freshRun()));
                yield Map.of("state", "RUNNING", "sent", 0, "marked", 0);
            }
            case "POST /api/movements/pack" -> movement("site", place(home), "parent", MatrixStory.sscc(),
                    "epcs", List.of(story.freshItem()));
            case "POST /api/movements/unpack" -> movement("site", place(home), "parent", story.packedCase(home));
            case "POST /api/movements/ship" -> movement("from", place(home), "to", place(other(home)),
                    "epcs", List.of(story.freshItem()));
            case "POST /api/movements/receive" -> movement("site", place(home), "from", place(other(home)),
                    "epcs", List.of(story.freshItem()));
            case "POST /api/movements/sell" -> movement("site", place(home), "receipt",
                    Map.of("type", "pos", "reference", MatrixStory.fresh("R-")), "epcs", List.of(story.freshItem()));
            case "POST /api/movements/recall" -> movement("batchId", home.batchId(), "reason", "Seal may leak");
            case "POST /api/movements/decommission", "POST /api/movements/destroy" -> movement("site", place(home),
                    "epcs", List.of(story.freshItem()));
            case "POST /epcis/capture" -> captureDocument(home);
            case "POST /epcis/events" -> withContext(observation(home));
            case "POST /api/codes/check" -> Map.of("code", home.code());
            case "POST /console/api/batches/{id}/recall" -> Map.of("reason", "Seal may leak");
            case "PUT /api/me/password" -> Map.of("currentPassword", story.passwordOf(caller),
                    "newPassword", story.passwordOf(caller) + "-changed");
            case "PUT /api/users/{id}/password" -> Map.of("password", "a-new-long-enough-password");
            case "POST /epcis/ledger/verify" -> Api.asAdmin().get("/epcis/ledger/checkpoint").then().statusCode(200)
                    .extract().as(Map.class);
            default -> READS.contains(method) || route.equals("POST /console/sign-out") ? null : Map.of();
        };
        String query = switch (route) {
            case "GET /console", "GET /console/api/search" -> "?q=" + encoded(home.serial());
            case "GET /console/items", "GET /console/api/items/evidence.jsonld" -> "?code=" + encoded(home.code());
            default -> "";
        };
        String path = fill(template, parameters, home) + query;
        if (route.equals("POST /scan/photo")) {
            return new Call(method, path, "multipart/form-data; boundary=" + BOUNDARY, photo(), false, () -> {
            });
        }
        // A caller that changed its own password changes it back, so that the next cells sign in as before.
        Runnable undo = route.equals("PUT /api/me/password") ? () -> story.changePasswordBack(caller) : () -> {
        };
        return new Call(method, path, body == null ? null : "application/json", body == null ? null : json(body),
                route.equals("POST /console/sign-out"), undo);
    }

    /** Path parameters by name, from the caller's home: what a new route most likely means by them. */
    private String fill(String template, Map<String, String> fixed, Home home) {
        Matcher parameter = PARAMETER.matcher(template);
        StringBuilder path = new StringBuilder();
        while (parameter.find()) {
            String name = parameter.group(1);
            String before = template.substring(0, parameter.start());
            String value = fixed.containsKey(name) ? fixed.get(name) : byName(name, before, home);
            parameter.appendReplacement(path, Matcher.quoteReplacement(value));
        }
        parameter.appendTail(path);
        return path.toString();
    }

    private String byName(String name, String before, Home home) {
        return switch (name) {
            case "gtin" -> home.gtin();
            case "lot" -> story.lot.lot();
            case "serial" -> home.serial();
            case "code" -> home.serial();
            case "epc" -> encoded(home.epc());
            case "eventID" -> encoded(home.eventId());
            case "captureID" -> home.captureId();
            case "sscc" -> story.sscc;
            case "batchId" -> String.valueOf(home.batchId());
            case "lineId" -> String.valueOf(home.lineId());
            case "id" -> idAfter(before, home);
            default -> throw new IllegalStateException("No value for the path parameter {" + name + "} of " + before
                    + "…: teach MatrixRoutes.byName what it names");
        };
    }

    private String idAfter(String before, Home home) {
        String collection = before.substring(0, before.length() - 1);
        collection = collection.substring(collection.lastIndexOf('/') + 1);
        return String.valueOf(switch (collection) {
            case "products" -> story.productId;
            case "sites" -> home.siteId();
            case "lines" -> home.lineId();
            case "batches" -> home.batchId();
            case "users" -> story.sparePartnerId;
            case "marking-runs" -> story.run();
            case "keys" -> story.freshKey();
            default -> throw new IllegalStateException("No value for {id} after /" + collection
                    + "/: teach MatrixRoutes.idAfter what it names");
        });
    }

    private Home other(Home home) {
        return home == story.factory ? story.shop : story.factory;
    }

    private static Map<String, Object> place(Home home) {
        return Map.of("siteId", home.siteId());
    }

    private static Map<String, Object> movement(Object... pairs) {
        Map<String, Object> body = new HashMap<>();
        body.put("requestId", MatrixStory.fresh("matrix-"));
        for (int i = 0; i < pairs.length; i += 2) {
            body.put((String) pairs[i], pairs[i + 1]);
        }
        return body;
    }

    /** An inspection of the home's item at the home's place: no reserved step, nothing but the caller's own. */
    private static Map<String, Object> observation(Home home) {
        Map<String, Object> event = new HashMap<>();
        event.put("type", "ObjectEvent");
        event.put("eventTime", OffsetDateTime.now(ZoneOffset.UTC).toString());
        event.put("eventTimeZoneOffset", "+00:00");
        event.put("epcList", List.of(home.epc()));
        event.put("action", "OBSERVE");
        event.put("bizStep", "inspecting");
        event.put("readPoint", Map.of("id", home.location()));
        event.put("bizLocation", Map.of("id", home.location()));
        return event;
    }

    private static Map<String, Object> withContext(Map<String, Object> event) {
        Map<String, Object> single = new HashMap<>(event);
        single.put("@context", List.of("https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"));
        return single;
    }

    static Map<String, Object> captureDocument(Home home) {
        return Map.of("@context", List.of("https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"),
                "type", "EPCISDocument", "schemaVersion", "2.0",
                "creationDate", OffsetDateTime.now(ZoneOffset.UTC).toString(),
                "epcisBody", Map.of("eventList", List.of(observation(home))));
    }

    /** A photo field that holds no picture: the public route answers it as it is designed to. */
    private static byte[] photo() {
        return ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"photo.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\nnot a picture\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static String encoded(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static byte[] json(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
