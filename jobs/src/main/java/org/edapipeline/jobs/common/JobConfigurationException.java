package org.edapipeline.jobs.common;

/**
 * A job cannot start with the configuration it was given; the message names the key(s) to fix.
 * Thrown at start, before any task runs.
 */
public class JobConfigurationException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public JobConfigurationException(String message) {
    super(message);
  }

  public JobConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
