package org.edapipeline.schemas.registry;

/**
 * The registry has no such schema (error code 40403): an unknown schema id, or, for a lookup, a
 * schema not registered under the subject.
 */
public final class SchemaNotFoundException extends SchemaRegistryException {
  private static final long serialVersionUID = 1L;

  public SchemaNotFoundException(String message, int httpStatus, int errorCode) {
    super(message, httpStatus, errorCode, null);
  }
}
