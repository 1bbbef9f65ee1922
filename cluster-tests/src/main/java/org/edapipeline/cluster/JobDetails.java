package org.edapipeline.cluster;

import java.util.List;

/**
 * A job as the REST API's {@code GET /jobs/{id}} shows it.
 *
 * @param id the job id
 * @param name the job name
 * @param state Flink's job status ({@code RUNNING}, {@code FINISHED}, {@code FAILED}...)
 * @param totalTasks the number of subtasks over all vertices
 * @param runningTasks the subtasks in state {@code RUNNING}
 * @param vertexNames the names of the job's vertices (chained operators), as the web UI shows them
 */
public record JobDetails(
    String id,
    String name,
    String state,
    int totalTasks,
    int runningTasks,
    List<String> vertexNames) {

  /** Canonical constructor; copies the list. */
  public JobDetails {
    vertexNames = List.copyOf(vertexNames);
  }

  /**
   * Whether the job is {@code RUNNING} with every subtask running. A job reports {@code RUNNING}
   * while its tasks still wait for slots or are deploying; only this says it really runs.
   */
  public boolean isFullyRunning() {
    return "RUNNING".equals(state) && totalTasks > 0 && runningTasks == totalTasks;
  }

  /** Whether the job has reached a state it never leaves. */
  public boolean isTerminal() {
    return switch (state) {
      case "FINISHED", "CANCELED", "FAILED" -> true;
      default -> false;
    };
  }
}
