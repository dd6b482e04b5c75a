package io.tracemark.trace.marking;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.tracemark.trace.config.TracemarkConfig;

/**
 * The trust stores MQTT markers on ssl:// brokers may name: files of one folder the operator
 * configures. A marker names a file inside it; the service opens nothing else for a marker, and
 * its answers tell nothing about files outside the folder, not even whether they exist.
 */
@ApplicationScoped
public class TrustStores {

    static final String OUTSIDE = "must name a file in the service's trust-store folder "
            + "(TRACEMARK_MARKING_TRUST_STORE_DIR): a file name or a relative path below it, without '..'";
    static final String MISSING = "no such trust store in the configured folder";

    private final Path folder;

    public TrustStores(TracemarkConfig config) {
        this.folder = config.marking().trustStoreDir().toAbsolutePath().normalize();
    }

    /** Why {@code name} cannot serve as a trust store, or empty when it can. */
    public Optional<String> problem(String name) {
        Optional<Path> file = inside(name);
        if (file.isEmpty()) {
            return Optional.of(OUTSIDE);
        }
        return Files.isRegularFile(file.get()) && Files.isReadable(file.get()) ? Optional.empty()
                : Optional.of(MISSING);
    }

    /** The file a stored trust-store name stands for. */
    public Path resolve(String name) {
        return inside(name).orElseThrow(() -> new IllegalArgumentException("the trust store " + OUTSIDE));
    }

    private Optional<Path> inside(String name) {
        try {
            Path relative = Path.of(name);
            if (relative.isAbsolute() || name.startsWith("~")) {
                return Optional.empty();
            }
            for (Path part : relative) {
                if (part.toString().equals("..")) {
                    return Optional.empty();
                }
            }
            Path file = folder.resolve(relative).normalize();
            return file.startsWith(folder) && !file.equals(folder) ? Optional.of(file) : Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }
}
