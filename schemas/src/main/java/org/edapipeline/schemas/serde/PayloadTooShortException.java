package org.edapipeline.schemas.serde;

/**
 * The value starts with the magic byte but is shorter than the 5-byte header. Category: {@link
 * FailureCategory#PERMANENT}.
 */
public final class PayloadTooShortException extends WireFormatException {
  private static final long serialVersionUID = 1L;

  public PayloadTooShortException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public FailureCategory category() {
    return FailureCategory.PERMANENT;
  }
}
