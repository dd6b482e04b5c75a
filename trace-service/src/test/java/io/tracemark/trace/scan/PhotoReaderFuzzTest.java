package io.tracemark.trace.scan;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.tracemark.trace.problem.ProblemException;
import io.tracemark.trace.problem.ProblemType;

/**
 * A consumer's photo upload, any bytes at all, through the image readers and the code reader
 * (docs/fuzzing.md). The seed corpus holds small PNG, JPEG, GIF, BMP and TIFF images.
 */
class PhotoReaderFuzzTest {

    /** Small, so that each run stays quick; the limit is what is under test, not its value. */
    private static final long MAX_PIXELS = 250_000;
    private static final Path UPLOAD = upload();

    private final PhotoReader reader = new PhotoReader();

    /**
     * Any upload is read as an image within the pixel limit, or refused as 413 (too many pixels)
     * or 415 (no image) with a reason; whatever image it is, reading a code in it answers a text or
     * nothing, never an exception.
     */
    @FuzzTest
    void anyUploadIsAnImageWithinTheLimitOrAProblem(byte[] upload) throws IOException {
        Files.write(UPLOAD, upload);
        BufferedImage image;
        try {
            image = PhotoReader.load(UPLOAD, MAX_PIXELS);
        } catch (ProblemException e) {
            assertTrue(Set.of(ProblemType.PAYLOAD_TOO_LARGE, ProblemType.UNSUPPORTED_MEDIA_TYPE).contains(e.type()),
                    e.type() + ": " + e.getMessage());
            assertFalse(e.getMessage().isBlank());
            return;
        }
        assertNotNull(image, "a reader that finds no image refuses the upload");
        assertTrue((long) image.getWidth() * image.getHeight() <= MAX_PIXELS,
                image.getWidth() + " x " + image.getHeight() + " pixels were unpacked");
        Optional<String> text = reader.read(image);
        assertNotNull(text);
    }

    private static Path upload() {
        try {
            Path file = Files.createTempFile("tracemark-photo-fuzz", ".upload");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
