package io.tracemark.bench.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The service under test, over HTTP as any client would call it, as its administrator. */
final class Service {

    /** How long one request may take: a capture of 1,000 events or a recall stream of 100,000 items. */
    static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
    private static final Pattern CAPTURE_ID = Pattern.compile("\"captureID\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;
    private final String authorization;

    Service(URI base, String user, String password) {
        this.base = base;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** POSTs JSON, expects 201, answers the new resource's id. */
    long create(String path, String json) {
        String body = send(post(path, json.getBytes(StandardCharsets.UTF_8)), 201);
        Matcher id = ID.matcher(body);
        if (!id.find()) {
            throw new IllegalStateException("POST " + path + " answered no id: " + body);
        }
        return Long.parseLong(id.group(1));
    }

    void post(String path, String json, int expected) {
        send(post(path, json.getBytes(StandardCharsets.UTF_8)), expected);
    }

    /** Captures an EPCIS document; answers the capture id once the service reports it stored whole. */
    String capture(byte[] document, int events) {
        String body = send(post("/epcis/capture", document), 202);
        if (!body.contains("\"success\":true") || !body.contains("\"storedCount\":" + events)) {
            throw new IllegalStateException("the capture did not store all " + events + " events: " + excerpt(body));
        }
        Matcher id = CAPTURE_ID.matcher(body);
        if (!id.find()) {
            throw new IllegalStateException("the capture answered no captureID: " + excerpt(body));
        }
        return id.group(1);
    }

    /** GETs the trace of one item (by serial); fails unless it answers 200. */
    void trace(String serial) {
        send(get("/api/trace/" + URLEncoder.encode(serial, StandardCharsets.UTF_8), "application/json"), 200);
    }

    /** Reads a streamed answer to its end; answers its length in bytes and how often {@code marker} occurs. */
    Streamed stream(String path, String accept, byte marker) {
        try {
            HttpResponse<InputStream> response = http.send(get(path, accept), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": "
                            + excerpt(new String(in.readNBytes(2000), StandardCharsets.UTF_8)));
                }
                byte[] buffer = new byte[64 * 1024];
                long bytes = 0;
                long markers = 0;
                for (int n; (n = in.read(buffer)) > 0;) {
                    bytes += n;
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == marker) {
                            markers++;
                        }
                    }
                }
                return new Streamed(bytes, markers);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    record Streamed(long bytes, long markers) {
    }

    private HttpRequest post(String path, byte[] body) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT).header("Authorization", authorization)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private HttpRequest get(String path, String accept) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT).header("Authorization", authorization)
                .header("Accept", accept).GET().build();
    }

    private String send(HttpRequest request, int expected) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(request.method() + " " + request.uri().getPath() + " answered "
                        + response.statusCode() + " (expected " + expected + "): " + excerpt(response.body()));
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String excerpt(String body) {
        return body.length() > 600 ? body.substring(0, 600) + "..." : body;
    }
}
