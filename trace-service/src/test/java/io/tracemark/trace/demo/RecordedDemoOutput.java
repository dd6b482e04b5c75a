package io.tracemark.trace.demo;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

/** Keeps what the demo prints, for the test to read back; enabled by the demo's test profile only. */
@Alternative
@Singleton
public class RecordedDemoOutput implements DemoOutput {

    private final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void println(String line) {
        lines.add(line);
        System.out.println(line);
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** The text after {@code label} on the last line that has it. */
    public String after(String label) {
        return lines.stream().filter(line -> line.contains(label)).reduce((first, second) -> second)
                .map(line -> line.substring(line.indexOf(label) + label.length()).strip())
                .orElseThrow(() -> new AssertionError("Nothing printed with '" + label + "' in " + lines));
    }
}
