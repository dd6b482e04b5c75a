package io.tracemark.trace.storage;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service (target/quarkus-app) started as a child process on the embedded default in
 * a data folder of its own, on free ports, so that a test can stop it the ways an operator or a
 * power cut does: SIGTERM, or SIGKILL.
 */
public final class ServiceProcess implements AutoCloseable {

    static final String ADMIN_PASSWORD = "child-admin-password";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final Path log;
    private final int port;
    private final int managementPort;

    private ServiceProcess(Process process, Path log, int port, int managementPort) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.managementPort = managementPort;
    }

    /** The packaged service, which `mvn verify` builds before the integration tests run. */
    static Path jar() {
        return Path.of(System.getProperty("tracemark.service.jar", "target/quarkus-app/quarkus-run.jar"));
    }

    /**
     * How the tests start it: a small heap and C1 only, to spare the shared machine, and with the class
     * data archive the build wrote next to the jar (app-cds.jsa), as the README's command uses it.
     */
    static List<String> testCommand() {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1"));
        Path archive = jar().toAbsolutePath().resolveSibling("app-cds.jsa");
        if (Files.isRegularFile(archive)) {
            command.add("-XX:SharedArchiveFile=" + archive);
        }
        command.addAll(List.of("-jar", jar().toAbsolutePath().toString()));
        return command;
    }

    /** Starts the service on the embedded database in {@code data} and waits until it answers. */
    public static ServiceProcess start(Path data, String logName, Map<String, String> environment) throws Exception {
        return start(data, logName, environment, testCommand(), null);
    }

    /**
     * Starts the service with {@code command} (java, its options, {@code -jar} and the jar) from the
     * folder {@code directory} (null: this one), on the embedded database in {@code data}, and waits
     * until it answers.
     */
    public static ServiceProcess start(Path data, String logName, Map<String, String> environment, List<String> command,
            Path directory) throws Exception {
        int port = freePort();
        int managementPort = freePort();
        Map<String, String> env = new HashMap<>(Map.of(
                "TRACEMARK_DATA_DIR", data.toAbsolutePath().toString(),
                "TRACEMARK_HOST", "127.0.0.1",
                "TRACEMARK_PORT", Integer.toString(port),
                "TRACEMARK_MANAGEMENT_HOST", "127.0.0.1",
                "TRACEMARK_MANAGEMENT_PORT", Integer.toString(managementPort),
                "TRACEMARK_MQTT_EMBEDDED_BROKER_PORT", Integer.toString(freePort()),
                "TRACEMARK_ADMIN_PASSWORD", ADMIN_PASSWORD));
        env.putAll(environment);
        Path log = data.resolveSibling(logName + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        builder.environment().keySet().removeIf(name -> name.startsWith("TRACEMARK_") || name.startsWith("QUARKUS_"));
        builder.environment().putAll(env);
        ServiceProcess service = new ServiceProcess(builder.start(), log, port, managementPort);
        service.awaitServing(Duration.ofSeconds(120));
        return service;
    }

    private void awaitServing(Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The service ended with " + process.exitValue() + ":\n" + log());
            }
            try {
                // 401 when the test chose to let the service generate the administrator's password.
                int status = get("/api/products").statusCode();
                if (status == 200 || status == 401) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("The service did not answer within " + limit + ":\n" + log());
    }

    /** Where the service answers, e.g. {@code http://127.0.0.1:41234}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(admin(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The service's metrics in Prometheus' text format, from its management port. */
    public String metrics() throws IOException, InterruptedException {
        HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                + "/q/metrics")).timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(metrics.statusCode() == 200, "metrics answered " + metrics.statusCode());
        return metrics.body();
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return HTTP.send(admin(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder admin(String path) {
        String credentials = Base64.getEncoder()
                .encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Basic " + credentials).timeout(Duration.ofSeconds(60));
    }

    /** SIGTERM, as systemd or docker stop send it; waits for the service to finish its shutdown. */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("The service did not stop within 60 s of SIGTERM:\n" + log());
        }
        return process.exitValue();
    }

    /** SIGKILL: the process ends at once, whatever it was writing. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The embedded database of a stopped service, opened behind its back to see what it kept. */
    public static Connection openDatabase(Path data) throws Exception {
        List<String> files = new ArrayList<>();
        try (var listing = Files.list(data)) {
            listing.forEach(file -> files.add(file.getFileName().toString()));
        }
        assertTrue(files.contains("tracemark.mv.db"), files.toString());
        return DriverManager.getConnection("jdbc:h2:file:" + data.toAbsolutePath().resolve("tracemark")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", "tracemark", "");
    }
}
