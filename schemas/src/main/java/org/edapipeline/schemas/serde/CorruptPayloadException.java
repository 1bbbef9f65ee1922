package org.edapipeline.schemas.serde;

/**
 * The Avro body cannot be decoded with its writer schema: truncated, corrupt, or followed by unread
 * bytes. Category: {@link FailureCategory#PERMANENT}.
 */
public final class CorruptPayloadException extends WireFormatException {
  private static final long serialVersionUID = 1L;

  public CorruptPayloadException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public FailureCategory category() {
    return FailureCategory.PERMANENT;
  }
}
