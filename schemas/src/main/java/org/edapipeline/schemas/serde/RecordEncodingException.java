package org.edapipeline.schemas.serde;

/**
 * The serializer could not encode the record with its schema, e.g. null in a non-null field.
 * Category: {@link FailureCategory#PERMANENT}.
 */
public final class RecordEncodingException extends WireFormatException {
  private static final long serialVersionUID = 1L;

  public RecordEncodingException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public FailureCategory category() {
    return FailureCategory.PERMANENT;
  }
}
