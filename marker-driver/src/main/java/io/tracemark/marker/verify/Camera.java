package io.tracemark.marker.verify;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.Optional;

/** The verification camera after the marker: one image of each marked item, named by its mark id. */
public interface Camera {

    /** The image of the item marked with {@code markId}, or empty if none came within {@code timeout}. */
    Optional<BufferedImage> capture(String markId, Duration timeout);
}
