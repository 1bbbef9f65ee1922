package org.edapipeline.schemas.serde;

/**
 * The writer schema cannot be read as the requested type: another record, an incompatible change,
 * or no generated class for the writer's name. Category: {@link FailureCategory#PERMANENT}.
 */
public final class SchemaMismatchException extends WireFormatException {
  private static final long serialVersionUID = 1L;

  public SchemaMismatchException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public FailureCategory category() {
    return FailureCategory.PERMANENT;
  }
}
