package org.edapipeline.cluster;

/**
 * The cluster as the REST API's {@code GET /overview} shows it.
 *
 * @param flinkVersion the Flink version the JobManager runs
 * @param taskManagers registered TaskManagers
 * @param slotsTotal task slots over all TaskManagers
 * @param slotsAvailable free task slots
 * @param jobsRunning jobs in state {@code RUNNING}
 */
public record ClusterOverview(
    String flinkVersion, int taskManagers, int slotsTotal, int slotsAvailable, int jobsRunning) {}
