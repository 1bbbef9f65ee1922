package org.edapipeline.schemas.registry;

/**
 * Base of every failure of a {@link SchemaRegistryClient} call. Subclasses name the cause; this
 * class itself is thrown for registry answers no subclass covers (e.g. an unexpected 4xx).
 *
 * <p>Messages name the registry URL and request path, never credentials.
 */
public class SchemaRegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Marks an unknown HTTP status or registry error code. */
  public static final int UNKNOWN = -1;

  private final int httpStatus;
  private final int errorCode;

  /**
   * @param httpStatus the HTTP status, or {@link #UNKNOWN}
   * @param errorCode the registry's {@code error_code}, or {@link #UNKNOWN}
   */
  public SchemaRegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  /** The HTTP status the registry answered with, or {@link #UNKNOWN} if it did not answer. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The registry's {@code error_code} (e.g. 40401), or {@link #UNKNOWN}. */
  public int errorCode() {
    return errorCode;
  }
}
