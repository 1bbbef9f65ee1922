package org.edapipeline.localstack;

/**
 * The {@code simulate} command cannot start against the services it was given; the message names
 * the option to check and never contains the database password.
 */
final class SimulatorStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  SimulatorStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
