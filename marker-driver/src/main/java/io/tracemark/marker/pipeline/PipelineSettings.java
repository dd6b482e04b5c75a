package io.tracemark.marker.pipeline;

import java.time.Duration;

import io.tracemark.marker.verify.Grade;

/**
 * What one marking run asks of the pipeline.
 *
 * @param job           the marker job (layout) the codes go into
 * @param queueDepth    how many codes the pipeline keeps queued in the marker ahead of the line
 * @param target        good items to mark; the run finishes when that many were released
 * @param minimumGrade  the lowest verification grade an item may leave with
 * @param cameraTimeout how long to wait for the camera's image of a mark before voiding its code
 */
public record PipelineSettings(String job, int queueDepth, long target, Grade minimumGrade, Duration cameraTimeout) {

    public PipelineSettings {
        if (job == null || job.isBlank()) {
            throw new IllegalArgumentException("A marking run needs a job name");
        }
        if (queueDepth < 1) {
            throw new IllegalArgumentException("queueDepth must be at least 1");
        }
        if (target < 1) {
            throw new IllegalArgumentException("target must be at least 1");
        }
        if (cameraTimeout.isNegative()) {
            throw new IllegalArgumentException("cameraTimeout cannot be negative");
        }
    }
}
