package org.edapipeline.localstack;

/**
 * A command cannot use a service it was pointed at (database, Kafka, registry, replication slot);
 * the message names the option to check and never contains the database password.
 */
final class StartupCheckException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  StartupCheckException(String message) {
    super(message);
  }
}
