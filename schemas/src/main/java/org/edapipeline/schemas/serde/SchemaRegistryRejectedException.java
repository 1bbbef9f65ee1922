package org.edapipeline.schemas.serde;

/**
 * The registry answered but refused: authentication failed, the schema is incompatible, or
 * (auto-registration off) it is not registered. Category: {@link FailureCategory#PERMANENT}.
 */
public final class SchemaRegistryRejectedException extends WireFormatException {
  private static final long serialVersionUID = 1L;

  public SchemaRegistryRejectedException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public FailureCategory category() {
    return FailureCategory.PERMANENT;
  }
}
