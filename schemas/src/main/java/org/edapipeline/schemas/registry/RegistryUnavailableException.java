package org.edapipeline.schemas.registry;

/**
 * The registry could not be reached or kept failing: connection refused, timeout, I/O error or HTTP
 * 5xx on every attempt (retries with backoff already done, across every configured URL). The
 * message names the URLs, the number of attempts and the timeouts. Usually transient.
 */
public final class RegistryUnavailableException extends SchemaRegistryException {
  private static final long serialVersionUID = 1L;

  public RegistryUnavailableException(String message, int httpStatus, Throwable cause) {
    super(message, httpStatus, UNKNOWN, cause);
  }
}
