package org.edapipeline.cluster;

/**
 * A Flink cluster could not be started or stopped, or its REST API answered with an error. The
 * message names the process or request, and quotes the end of the process's log where there is one.
 */
public class FlinkClusterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure with its cause. */
  public FlinkClusterException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A failure without a cause. */
  public FlinkClusterException(String message) {
    super(message);
  }
}
