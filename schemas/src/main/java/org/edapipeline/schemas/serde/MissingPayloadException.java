package org.edapipeline.schemas.serde;

/**
 * The value is null (where a record was required) or empty. Category: {@link
 * FailureCategory#PERMANENT}.
 */
public final class MissingPayloadException extends WireFormatException {
  private static final long serialVersionUID = 1L;

  public MissingPayloadException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public FailureCategory category() {
    return FailureCategory.PERMANENT;
  }
}
