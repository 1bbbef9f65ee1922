package org.edapipeline.schemas.serde;

/**
 * The registry could not be reached, timed out or failed with 5xx, after the client's retries:
 * retry later. Category: {@link FailureCategory#TRANSIENT}.
 */
public final class SchemaRegistryUnreachableException extends WireFormatException {
  private static final long serialVersionUID = 1L;

  public SchemaRegistryUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public FailureCategory category() {
    return FailureCategory.TRANSIENT;
  }
}
