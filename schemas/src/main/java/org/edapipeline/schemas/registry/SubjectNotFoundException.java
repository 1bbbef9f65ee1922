package org.edapipeline.schemas.registry;

/** The subject does not exist or has no live version (error code 40401). */
public final class SubjectNotFoundException extends SchemaRegistryException {
  private static final long serialVersionUID = 1L;

  public SubjectNotFoundException(String message, int httpStatus, int errorCode) {
    super(message, httpStatus, errorCode, null);
  }
}
