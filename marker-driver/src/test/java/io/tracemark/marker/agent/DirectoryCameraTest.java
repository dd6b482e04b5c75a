package io.tracemark.marker.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryCameraTest {

    @TempDir
    Path folder;

    private void save(String id, int width) throws Exception {
        Path partial = folder.resolve(id + ".png.part");
        ImageIO.write(new BufferedImage(width, 10, BufferedImage.TYPE_BYTE_GRAY), "png", partial.toFile());
        Files.move(partial, folder.resolve(id + ".png"), StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void readsAnImageAlreadyThereAndRemovesIt() throws Exception {
        save("A1", 12);
        Optional<BufferedImage> image = new DirectoryCamera(folder).capture("A1", Duration.ofMillis(100));
        assertEquals(12, image.orElseThrow().getWidth());
        assertFalse(Files.exists(folder.resolve("A1.png")), "read images do not pile up");
    }

    @Test
    void waitsForAnImageThatArrivesLate() throws Exception {
        CompletableFuture<Optional<BufferedImage>> capture = CompletableFuture.supplyAsync(
                () -> new DirectoryCamera(folder).capture("B2", Duration.ofSeconds(5)));
        Thread.sleep(200);
        assertFalse(capture.isDone(), "still waiting for the camera");
        save("B2", 20);
        assertEquals(20, capture.get(5, TimeUnit.SECONDS).orElseThrow().getWidth());
    }

    @Test
    void givesUpAfterTheTimeoutWhenNoImageComes() throws Exception {
        save("OTHER", 5);
        long start = System.nanoTime();
        assertTrue(new DirectoryCamera(folder).capture("C3", Duration.ofMillis(300)).isEmpty());
        long waited = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waited >= 250 && waited < 3000, "waited " + waited + " ms");
        assertTrue(Files.exists(folder.resolve("OTHER.png")), "another item's image is left alone");
    }

    @Test
    void refusesAFolderThatDoesNotExist() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new DirectoryCamera(folder.resolve("missing")));
        assertTrue(refused.getMessage().contains("does not exist"));
    }
}
