package org.edapipeline.embedded.registry;

/**
 * A failed request, carrying the HTTP status and Confluent's {@code error_code}. Thrown inside the
 * server and turned into a JSON error body by {@link RegistryHttpHandler}.
 */
final class RegistryError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final int errorCode;

  private RegistryError(int status, int errorCode, String message) {
    this(status, errorCode, message, null);
  }

  private RegistryError(int status, int errorCode, String message, Throwable cause) {
    super(message, cause, false, false);
    this.status = status;
    this.errorCode = errorCode;
  }

  int status() {
    return status;
  }

  int errorCode() {
    return errorCode;
  }

  static RegistryError subjectNotFound(String subject) {
    return new RegistryError(404, 40401, "Subject '" + subject + "' not found.");
  }

  static RegistryError versionNotFound(String subject, int version) {
    return new RegistryError(
        404, 40402, "Version " + version + " not found for subject '" + subject + "'.");
  }

  static RegistryError schemaNotFound(String detail) {
    return new RegistryError(404, 40403, detail);
  }

  static RegistryError subjectNotSoftDeleted(String subject) {
    return new RegistryError(
        404,
        40405,
        "Subject '" + subject + "' was not deleted first before being permanently deleted");
  }

  static RegistryError subjectLevelCompatibilityNotConfigured(String subject) {
    return new RegistryError(
        404,
        40408,
        "Subject '" + subject + "' does not have subject-level compatibility configured");
  }

  static RegistryError incompatible(String message) {
    return new RegistryError(409, 409, message);
  }

  static RegistryError invalidSchema(String message) {
    return new RegistryError(422, 42201, "Invalid schema: " + message);
  }

  static RegistryError invalidVersion(String version) {
    return new RegistryError(
        422,
        42202,
        "The specified version '"
            + version
            + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the"
            + " string \"latest\"");
  }

  static RegistryError invalidCompatibilityLevel(String level) {
    return new RegistryError(
        422,
        42203,
        "Invalid compatibility level. Valid values are none, backward, forward, full, "
            + "backward_transitive, forward_transitive, and full_transitive: "
            + level);
  }

  static RegistryError unprocessable(String message) {
    return new RegistryError(422, 422, message);
  }

  static RegistryError badRequest(String message) {
    return new RegistryError(400, 400, message);
  }

  static RegistryError unauthorized() {
    return new RegistryError(401, 40101, "Unauthorized");
  }

  static RegistryError notFound(String path) {
    return new RegistryError(404, 404, "HTTP 404 Not Found: " + path);
  }

  static RegistryError methodNotAllowed(String method) {
    return new RegistryError(405, 405, "HTTP 405 Method Not Allowed: " + method);
  }

  static RegistryError storeError(String message, Throwable cause) {
    return new RegistryError(500, 50001, "Error in the backend data store: " + message, cause);
  }
}
