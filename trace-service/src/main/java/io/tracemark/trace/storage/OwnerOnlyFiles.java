package io.tracemark.trace.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * The embedded database's files, kept readable and writable by the service's own user only. H2
 * creates its files itself (database, trace, temporary and compaction files) with the process's
 * umask, which Java cannot set; reached through this file system, every file H2 creates or opens
 * for writing is made owner-only at once, and every folder it creates owner-only too. Files of
 * an older data folder become owner-only the first time the database opens them.
 */
public final class OwnerOnlyFiles extends FilePathWrapper {

    /** The prefix that routes an H2 file name through this file system. */
    public static final String SCHEME = "tracemarkOwnerOnly";

    static {
        FilePath.register(new OwnerOnlyFiles());
    }

    /** Makes sure H2 knows this file system; registering happens once per class loader. */
    static void register() {
        // The static initializer did the work.
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public boolean createFile() {
        boolean created = super.createFile();
        restrict();
        return created;
    }

    @Override
    public void createDirectory() {
        super.createDirectory();
        try {
            DataFolder.restrictFolderToOwner(disk());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        FileChannel channel = super.open(mode);
        if (!"r".equals(mode)) {
            DataFolder.restrictToOwner(disk());
        }
        return channel;
    }

    @Override
    public OutputStream newOutputStream(boolean append) throws IOException {
        OutputStream out = super.newOutputStream(append);
        DataFolder.restrictToOwner(disk());
        return out;
    }

    @Override
    public FilePath createTempFile(String suffix, boolean inTempDir) throws IOException {
        FilePath temp = super.createTempFile(suffix, inTempDir);
        DataFolder.restrictToOwner(onDisk(temp));
        return temp;
    }

    private void restrict() {
        try {
            if (getBase().exists()) {
                DataFolder.restrictToOwner(disk());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path disk() {
        return onDisk(getBase());
    }

    /** The file on disk behind the file systems that wrap it. */
    private static Path onDisk(FilePath path) {
        FilePath inner = path;
        while (inner.unwrap() != inner) {
            inner = inner.unwrap();
        }
        return Path.of(inner.name);
    }
}
