package org.edapipeline.localstack.flink;

import java.time.Duration;
import java.util.Objects;

/**
 * How the two Flink jobs run in the local stack: short windows and deadlines, so that a newcomer
 * sees windows, alerts, timeouts and compensations within the first minute.
 *
 * @param parallelism parallelism of each job (the MiniCluster gets a slot per subtask of both)
 * @param checkpointInterval exactly-once checkpoint interval: outputs become visible then
 * @param window the IoT job's tumbling window (sliding windows are 3 windows long, sliding by one)
 * @param allowedLateness how long a window accepts corrections
 * @param outOfOrderness the IoT job's watermark bound
 * @param idleness the IoT job's idle-partition timeout
 * @param alertWindows breaching windows in a row before a threshold alert
 * @param sagaDeadline the saga's deadline for each step (inventory, payment, shipment, delivery)
 * @param compensationDeadline how long the saga waits for compensations to be acknowledged
 * @param sagaRetryAttempts transient failures of a step before the saga compensates
 */
public record PipelineSettings(
    int parallelism,
    Duration checkpointInterval,
    Duration window,
    Duration allowedLateness,
    Duration outOfOrderness,
    Duration idleness,
    int alertWindows,
    Duration sagaDeadline,
    Duration compensationDeadline,
    int sagaRetryAttempts) {

  public PipelineSettings {
    if (parallelism < 1 || parallelism > 16) {
      throw new IllegalArgumentException("parallelism must be in [1, 16]: " + parallelism);
    }
    Objects.requireNonNull(checkpointInterval, "checkpointInterval");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(allowedLateness, "allowedLateness");
    Objects.requireNonNull(outOfOrderness, "outOfOrderness");
    Objects.requireNonNull(idleness, "idleness");
    Objects.requireNonNull(sagaDeadline, "sagaDeadline");
    Objects.requireNonNull(compensationDeadline, "compensationDeadline");
  }

  /** Task slots both jobs need on the MiniCluster. */
  public int slots() {
    return 2 * parallelism;
  }
}
