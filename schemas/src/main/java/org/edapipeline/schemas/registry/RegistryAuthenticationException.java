package org.edapipeline.schemas.registry;

/**
 * The registry refused the credentials, or their absence (HTTP 401 or 403). The message never
 * contains the credentials.
 */
public final class RegistryAuthenticationException extends SchemaRegistryException {
  private static final long serialVersionUID = 1L;

  public RegistryAuthenticationException(String message, int httpStatus, int errorCode) {
    super(message, httpStatus, errorCode, null);
  }
}
