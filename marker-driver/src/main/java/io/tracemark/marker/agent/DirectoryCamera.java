package io.tracemark.marker.agent;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.imageio.ImageIO;

import io.tracemark.marker.verify.Camera;

/**
 * A line camera that saves each image into a folder, as most industrial cameras can: the image
 * of the item marked with id X is the file {@code X.png}, which must appear whole (written under
 * another name, then renamed). Images are deleted once read, so the folder does not fill up.
 */
public final class DirectoryCamera implements Camera {

    private static final Logger LOG = Logger.getLogger(DirectoryCamera.class.getName());

    private final Path folder;

    public DirectoryCamera(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("The camera folder " + folder + " does not exist");
        }
        this.folder = folder;
    }

    @Override
    public Optional<BufferedImage> capture(String markId, Duration timeout) {
        Path image = folder.resolve(markId + ".png");
        try {
            // Usually the camera was quicker than the marker's report: no need to watch.
            if (Files.exists(image)) {
                return read(image);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Cannot read the camera image " + image, e);
            return Optional.empty();
        }
        try (WatchService watcher = folder.getFileSystem().newWatchService()) {
            // Watch first, then look: an image that lands in between is not missed.
            // A rename into the folder is reported as a creation.
            folder.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!Files.exists(image)) {
                long left = deadline - System.nanoTime();
                WatchKey key = left > 0 ? watcher.poll(left, TimeUnit.NANOSECONDS) : null;
                if (key == null) {
                    return Optional.empty();
                }
                key.pollEvents();
                key.reset();
            }
            return read(image);
        } catch (IOException | ClosedWatchServiceException e) {
            LOG.log(Level.WARNING, "Cannot watch the camera folder " + folder, e);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static Optional<BufferedImage> read(Path image) throws IOException {
        BufferedImage picture = ImageIO.read(image.toFile());
        Files.deleteIfExists(image);
        return Optional.ofNullable(picture);
    }
}
