package org.edapipeline.cluster;

import java.util.Optional;

/**
 * The checkpoint statistics of a job ({@code GET /jobs/{id}/checkpoints}).
 *
 * @param completed completed checkpoints since the job (re)started
 * @param failed failed checkpoints
 * @param inProgress checkpoints in progress now
 * @param restored how often the job was restored from a checkpoint or savepoint
 * @param latestCompletedPath where the latest completed checkpoint is, if there is one
 */
public record CheckpointCounts(
    long completed,
    long failed,
    long inProgress,
    long restored,
    Optional<String> latestCompletedPath) {}
