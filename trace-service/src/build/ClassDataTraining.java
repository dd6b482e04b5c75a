import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The training start that makes the class data archive the README's run command uses: the packaged
 * service started once on the embedded default, in a throwaway data folder on free loopback ports,
 * asked a few questions, and stopped with SIGTERM; the JVM writes the classes it loaded into the
 * archive as it exits. A later start with {@code -XX:SharedArchiveFile} maps them instead of reading,
 * parsing and verifying them again (docs/start-time.md).
 * <p>
 * Run by the build (trace-service/pom.xml) with the {@code java} on the PATH, the one the README's
 * command runs: an archive only serves the JVM build that wrote it. It names the jars by their
 * absolute paths, so it serves the folder it was made in, from any working directory; a moved copy
 * of the folder needs its own (bench/start does that). A JVM that cannot use the archive says so in
 * one line and starts without it.
 * <p>
 * {@code java ClassDataTraining.java QUARKUS_APP_DIR [--aot]}: {@code --aot} writes a JDK 25 AOT
 * cache ({@code app.aot}, JEP 483/514/515) instead of {@code app-cds.jsa}.
 */
public final class ClassDataTraining {

    private static final Duration READY_LIMIT = Duration.ofSeconds(180);
    private static final Duration EXIT_LIMIT = Duration.ofSeconds(180);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public static void main(String... args) throws Exception {
        if (args.length < 1 || args.length > 2 || (args.length == 2 && !args[1].equals("--aot"))) {
            System.err.println("Usage: java ClassDataTraining.java QUARKUS_APP_DIR [--aot]");
            System.exit(64);
        }
        Path app = Path.of(args[0]).toAbsolutePath().normalize();
        boolean aot = args.length == 2;
        Path jar = app.resolve("quarkus-run.jar");
        Path archive = app.resolve(aot ? "app.aot" : "app-cds.jsa");
        Path log = app.resolveSibling(aot ? "app-aot-training.log" : "app-cds-training.log");
        if (!Files.isRegularFile(jar)) {
            fail("no " + jar + ": package the service first");
        }
        Files.deleteIfExists(archive);

        Path data = Files.createTempDirectory("tracemark-training-");
        String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        int port = freePort();
        int managementPort = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                (aot ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=") + archive, "-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(data.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // Whatever the shell says about databases and keys, the training start runs on its own embedded
        // database: it must never touch a PostgreSQL that TRACEMARK_DB_URL names.
        builder.environment().keySet().removeIf(name -> name.startsWith("TRACEMARK_") || name.startsWith("QUARKUS_"));
        builder.environment().put("TRACEMARK_DATA_DIR", data.resolve("data").toString());
        builder.environment().put("TRACEMARK_HOST", "127.0.0.1");
        builder.environment().put("TRACEMARK_PORT", Integer.toString(port));
        builder.environment().put("TRACEMARK_MANAGEMENT_HOST", "127.0.0.1");
        builder.environment().put("TRACEMARK_MANAGEMENT_PORT", Integer.toString(managementPort));
        builder.environment().put("TRACEMARK_ADMIN_PASSWORD", password);

        long started = System.nanoTime();
        Process service = builder.start();
        try {
            awaitReady(service, managementPort, log);
            exercise(port, password);
            // SIGTERM: the service shuts down as it does under systemd, and the JVM writes the archive on its way out.
            service.destroy();
            if (!service.waitFor(EXIT_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                fail("the training start did not stop within " + EXIT_LIMIT.toSeconds() + " s of SIGTERM; its log: " + log);
            }
        } finally {
            service.destroyForcibly();
            deleteTree(data);
        }
        if (!Files.isRegularFile(archive) || Files.size(archive) == 0) {
            // A JVM that cannot write one (another vendor's, a platform without SIGTERM) leaves the service
            // as it was: the run command then starts without an archive, only slower.
            System.out.println("[WARNING] The JVM wrote no " + archive.getFileName() + "; see " + log);
            return;
        }
        System.out.printf("[INFO] Class data archive %s (%d MB) written by a training start of %.1f s%n", archive,
                Files.size(archive) >> 20, (System.nanoTime() - started) / 1e9);
    }

    private static void awaitReady(Process service, int managementPort, Path log) throws Exception {
        long deadline = System.nanoTime() + READY_LIMIT.toNanos();
        URI ready = URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready");
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                fail("the training start ended with " + service.exitValue() + ":\n" + tail(log));
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(ready).GET().timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(100);
        }
        fail("the training start was not ready within " + READY_LIMIT.toSeconds() + " s:\n" + tail(log));
    }

    /** What every start meets soon after it is up: a signed-in API read, a public check, a page, the API description. */
    private static void exercise(int port, String password) throws Exception {
        String base = "http://127.0.0.1:" + port;
        String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
        List<HttpRequest> requests = List.of(
                HttpRequest.newBuilder(URI.create(base + "/api/products")).header("Authorization", basic).GET().build(),
                HttpRequest.newBuilder(URI.create(base + "/api/codes/check")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"code\":\"7KQ4M2XRT9PZ3CNF6A\"}")).build(),
                HttpRequest.newBuilder(URI.create(base + "/console/sign-in")).GET().build(),
                HttpRequest.newBuilder(URI.create(base + "/q/openapi")).GET().build());
        for (HttpRequest request : requests) {
            int status = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= 500) {
                fail(request.method() + " " + request.uri().getPath() + " answered " + status + " in the training start");
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static void fail(String message) {
        System.err.println("[ERROR] Class data training: " + message);
        System.exit(1);
    }
}
