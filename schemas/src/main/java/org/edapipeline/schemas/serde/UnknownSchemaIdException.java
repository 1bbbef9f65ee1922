package org.edapipeline.schemas.serde;

/**
 * The schema id in the header is not known to the registry (or not a valid id). Category: {@link
 * FailureCategory#PERMANENT}.
 */
public final class UnknownSchemaIdException extends WireFormatException {
  private static final long serialVersionUID = 1L;

  public UnknownSchemaIdException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public FailureCategory category() {
    return FailureCategory.PERMANENT;
  }
}
