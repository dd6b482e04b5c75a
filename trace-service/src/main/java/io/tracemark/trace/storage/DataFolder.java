package io.tracemark.trace.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

/**
 * Secrets the embedded default keeps in its data folder (the serial key and the other keys that
 * production takes from configuration): made once on first start, readable by the service's
 * own user only, and never printed.
 */
public final class DataFolder {

    private static final Logger LOG = Logger.getLogger(DataFolder.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_FOLDER = PosixFilePermissions.fromString("rwx------");

    /** The text of a kept secret, and whether this start made it. */
    public record KeptSecret(String text, boolean created) {
    }

    private DataFolder() {
    }

    /**
     * The secret kept in file {@code name} of the data folder: read when it exists, otherwise made by
     * {@code generate}, written readable by its owner only, and returned.
     */
    public static KeptSecret keep(Path dataDir, String name, Supplier<String> generate) {
        Path file = dataDir.resolve(name);
        try {
            if (Files.exists(file)) {
                return new KeptSecret(Files.readString(file, StandardCharsets.US_ASCII).strip(), false);
            }
            create(dataDir);
            String text = generate.get();
            Path partial = dataDir.resolve(name + ".new");
            Files.deleteIfExists(partial);
            // Owner-only before the secret is written, so that it is never readable by others, even briefly.
            Files.createFile(partial);
            restrictToOwner(partial);
            Files.writeString(partial, text + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(partial, file);
            return new KeptSecret(text, true);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read or create " + file, e);
        }
    }

    /** {@code bytes} random bytes in base64, the form generated secrets are kept in. */
    public static String randomBase64(int bytes) {
        byte[] key = new byte[bytes];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /**
     * Creates the data folder when missing and makes it, and every file already in it, its owner's
     * only: a folder that others cannot enter keeps the files in it private whatever their modes.
     */
    public static void create(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        restrictFolderToOwner(dataDir);
        try (Stream<Path> files = Files.list(dataDir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    restrictToOwner(file);
                }
            }
        }
    }

    /** Makes a file readable and writable by its owner only, where the file system knows permissions. */
    public static void restrictToOwner(Path file) throws IOException {
        restrict(file, OWNER_FILE);
    }

    /** Makes a folder usable by its owner only, where the file system knows permissions. */
    public static void restrictFolderToOwner(Path folder) throws IOException {
        restrict(folder, OWNER_FOLDER);
    }

    private static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, permissions);
        } catch (UnsupportedOperationException e) {
            LOG.warnf("Cannot restrict permissions of %s on this file system", path);
        }
    }
}
