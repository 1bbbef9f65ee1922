package org.edapipeline.cluster;

import java.util.List;

/**
 * A job as the REST API's {@code GET /jobs/{id}} shows it.
 *
 * @param id the job id
 * @param name the job name
 * @param state Flink's job status ({@code RUNNING}, {@code FINISHED}, {@code FAILED}...)
 * @param vertices the job's vertices (chains of operators), in topological order
 */
public record JobDetails(String id, String name, String state, List<Vertex> vertices) {

  /**
   * One vertex: a chain of operators with its subtasks.
   *
   * @param name the chain's name, as the web UI shows it
   * @param parallelism its number of subtasks
   * @param runningTasks subtasks in state {@code RUNNING}
   * @param recordsRead records the vertex received from upstream vertices (0 for sources)
   * @param recordsWritten records the vertex sent to downstream vertices (0 for sinks)
   */
  public record Vertex(
      String name, int parallelism, int runningTasks, long recordsRead, long recordsWritten) {}

  /** Canonical constructor; copies the list. */
  public JobDetails {
    vertices = List.copyOf(vertices);
  }

  /** The names of the vertices. */
  public List<String> vertexNames() {
    return vertices.stream().map(Vertex::name).toList();
  }

  /** Subtasks over all vertices. */
  public int totalTasks() {
    return vertices.stream().mapToInt(Vertex::parallelism).sum();
  }

  /** Subtasks in state {@code RUNNING}. */
  public int runningTasks() {
    return vertices.stream().mapToInt(Vertex::runningTasks).sum();
  }

  /**
   * Whether the job is {@code RUNNING} with every subtask running. A job reports {@code RUNNING}
   * while its tasks still wait for slots or are deploying; only this says it really runs.
   */
  public boolean isFullyRunning() {
    return "RUNNING".equals(state) && totalTasks() > 0 && runningTasks() == totalTasks();
  }

  /** Whether the job has reached a state it never leaves. */
  public boolean isTerminal() {
    return switch (state) {
      case "FINISHED", "CANCELED", "FAILED" -> true;
      default -> false;
    };
  }
}
