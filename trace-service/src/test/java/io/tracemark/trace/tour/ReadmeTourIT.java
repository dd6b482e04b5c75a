package io.tracemark.trace.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tracemark.trace.storage.ServiceProcess;

/**
 * The README's tour, run as a newcomer runs it: the packaged service started on the embedded
 * default in an empty data folder, the administrator's password read from what the first start
 * prints, and every block the README marks {@code <!-- tour -->} pasted, in order, into one bash
 * (with {@code set -euo pipefail}, so any failing call fails the tour). The blocks are read from
 * README.md itself, so the tour cannot drift from what the service does.
 */
class ReadmeTourIT {

    private static final Path README = Path.of("..", "README.md");
    private static final String MARK = "<!-- tour -->";
    private static final String RUN_JAR = "trace-service/target/quarkus-app/quarkus-run.jar";
    private static final Pattern PRINTED_PASSWORD = Pattern.compile("administrator 'admin' created with password\\s+(\\S+)");

    @Test
    void theReadmeTourRunsAsWrittenOnAFreshEmbeddedDefault(@TempDir Path folder) throws Exception {
        List<String> blocks = tourBlocks(Files.readString(README, StandardCharsets.UTF_8));
        assertTrue(blocks.size() >= 4, "the README marks its tour's blocks with " + MARK + ": found " + blocks.size());

        // Started by the README's own command, from the repository root as a newcomer types it; with
        // -Xshare:on the JVM refuses to start unless the class data archive the command names serves it.
        List<String> command = new ArrayList<>(runCommand(Files.readString(README, StandardCharsets.UTF_8)));
        command.add(1, "-Xshare:on");
        // An empty TRACEMARK_ADMIN_PASSWORD is no password: the first start generates and prints one.
        try (ServiceProcess service = ServiceProcess.start(folder.resolve("data"), "tour",
                Map.of("TRACEMARK_ADMIN_PASSWORD", ""), command, README.getParent())) {
            Matcher printed = PRINTED_PASSWORD.matcher(service.log());
            assertTrue(printed.find(), "the first start prints the administrator's password:\n" + service.log());

            Path script = folder.resolve("tour.sh");
            Files.writeString(script, "set -euo pipefail\n" + String.join("\n", blocks), StandardCharsets.UTF_8);
            Path output = folder.resolve("tour.out");
            ProcessBuilder bash = new ProcessBuilder("bash", script.toString()).directory(folder.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            bash.environment().put("API", service.baseUrl());
            bash.environment().put("PW", printed.group(1));
            Process tour = bash.start();
            boolean ended = tour.waitFor(180, TimeUnit.SECONDS);
            if (!ended) {
                tour.destroyForcibly().waitFor();
            }
            String said = Files.readString(output, StandardCharsets.UTF_8);
            assertTrue(ended, "the tour ended within 3 minutes:\n" + said);
            assertEquals(0, tour.exitValue(), "the tour failed:\n" + said + "\n--- service log ---\n" + service.log());

            assertTrue(said.contains("\"COMMISSIONED\""), "the marked item was commissioned:\n" + said);
            assertTrue(said.contains("\"verdict\": \"genuine\""), "the consumer's answer:\n" + said);
            assertTrue(said.contains("\"sold\": \"Tienda Barcelona\""), "the item was sold at the shop:\n" + said);
            assertTrue(said.contains("\"retail_selling\""), "the sale is in the ledger:\n" + said);
            assertTrue(Files.size(folder.resolve("code.png")) > 0 && Files.size(folder.resolve("code.svg")) > 0,
                    "the symbols were written");
        }
    }

    /**
     * The README's command that runs the service ({@code java}, its options, {@code -jar} and the
     * jar): the first line that runs the packaged jar, taken after the build that precedes it.
     */
    static List<String> runCommand(String readme) {
        for (String line : readme.split("\n")) {
            int java = line.indexOf("java ");
            if (java >= 0 && line.trim().endsWith("-jar " + RUN_JAR)) {
                List<String> words = List.of(line.substring(java).trim().split("\\s+"));
                if (words.stream().anyMatch(word -> word.contains("'") || word.contains("\"") || word.contains("$"))) {
                    throw new IllegalStateException("the README's run command is read word by word: " + line);
                }
                return words;
            }
        }
        throw new IllegalStateException("the README names no command ending in -jar " + RUN_JAR);
    }

    /** The fenced bash blocks that directly follow a {@value #MARK} line, in order. */
    static List<String> tourBlocks(String readme) {
        List<String> blocks = new ArrayList<>();
        String[] lines = readme.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].trim().equals(MARK)) {
                continue;
            }
            int open = i + 1;
            if (open >= lines.length || !lines[open].trim().equals("```bash")) {
                throw new IllegalStateException("README line " + (i + 1) + ": " + MARK + " must stand right before a ```bash block");
            }
            StringBuilder block = new StringBuilder();
            int line = open + 1;
            for (; line < lines.length && !lines[line].trim().equals("```"); line++) {
                block.append(lines[line]).append('\n');
            }
            if (line == lines.length) {
                throw new IllegalStateException("README line " + (open + 1) + ": the tour's block is never closed");
            }
            blocks.add(block.toString());
            i = line;
        }
        return blocks;
    }
}
