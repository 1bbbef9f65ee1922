package org.edapipeline.embedded;

/**
 * Thrown when an embedded service cannot be started, stopped or used. The message names the service
 * and what it was doing; the cause carries the underlying failure.
 */
public class EmbeddedServiceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed, naming the service
   * @param cause the underlying failure
   */
  public EmbeddedServiceException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * @param message what failed, naming the service
   */
  public EmbeddedServiceException(String message) {
    super(message);
  }
}
