package io.tracemark.marker.agent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.tracemark.marker.MarkOrder;
import io.tracemark.marker.pipeline.PipelineStatus;

/** trace-service as the station agent reaches it: over HTTP, with the station's key. */
public final class ServiceClient {

    /** The service refused a request for a reason that asking again will not change. */
    public static final class Refused extends IOException {
        public Refused(String message) {
            super(message);
        }
    }

    /** What the agent needs to know of its run. */
    public record RunInfo(long id, long target, String state) {
    }

    private final URI base;
    private final String stationKey;
    private final Duration requestTimeout;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    public ServiceClient(URI base, String stationKey, Duration connectTimeout, Duration requestTimeout) {
        this.base = base;
        this.stationKey = stationKey;
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
    }

    public RunInfo run(long runId) throws IOException {
        JsonNode run = send(request("/api/marking-runs/" + runId).GET());
        if (!run.path("count").canConvertToLong() || run.path("count").asLong() < 1) {
            throw new Refused("Marking run " + runId + " as the service describes it has no count: " + run);
        }
        return new RunInfo(run.path("id").asLong(), run.path("count").asLong(), run.path("state").asText());
    }

    /** Asks for codes under a request id: asked again after a crash, the service answers with the same codes. */
    public List<MarkOrder> claim(long runId, Journal.PendingClaim claim) throws IOException {
        JsonNode answer = post("/api/marking-runs/" + runId + "/claims",
                Map.of("requestId", claim.requestId(), "count", claim.count()));
        List<MarkOrder> codes = new ArrayList<>();
        for (JsonNode code : answer.path("codes")) {
            codes.add(new MarkOrder(code.path("id").asText(), code.path("content").asText()));
        }
        return codes;
    }

    /** Reports steps in order; the service applies each once, however often it is told. */
    public void deliver(long runId, List<Journal.Step> steps) throws IOException {
        List<Map<String, Object>> results = new ArrayList<>();
        for (Journal.Step step : steps) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("id", step.id());
            result.put("state", step.state());
            result.put("grade", step.grade());
            result.put("reason", step.reason());
            result.put("at", step.at().toString());
            results.add(result);
        }
        post("/api/marking-runs/" + runId + "/results", Map.of("results", results));
    }

    public void reportStatus(long runId, PipelineStatus status) throws IOException {
        send(request("/api/marking-runs/" + runId + "/station-status")
                .PUT(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(status))));
    }

    private JsonNode post(String path, Object body) throws IOException {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(requestTimeout)
                .header("Authorization", "Bearer " + stationKey).header("Content-Type", "application/json")
                .header("Accept", "application/json");
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException {
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while talking to " + base, e);
        } catch (IOException e) {
            // The JDK's connection errors often carry no message of their own.
            throw new IOException("Cannot reach " + base + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
        int status = response.statusCode();
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            throw new Refused(status + " from " + base + ": " + detail(response.body()));
        }
        if (status >= 300) {
            throw new IOException(status + " from " + base + ": " + detail(response.body()));
        }
        return response.body().isEmpty() ? json.createObjectNode() : json.readTree(response.body());
    }

    private String detail(String body) {
        try {
            JsonNode problem = json.readTree(body);
            return problem.path("detail").asText(body);
        } catch (IOException e) {
            return body;
        }
    }
}
