package org.edapipeline.schemas.registry;

/** The subject exists but has no such version (error code 40402). */
public final class VersionNotFoundException extends SchemaRegistryException {
  private static final long serialVersionUID = 1L;

  public VersionNotFoundException(String message, int httpStatus, int errorCode) {
    super(message, httpStatus, errorCode, null);
  }
}
