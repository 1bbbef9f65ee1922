package org.edapipeline.cdc.engine;

/**
 * Kafka did not acknowledge a batch (broker unreachable past the delivery timeout, registry
 * unreachable for a dead letter, ...). Thrown out of the batch handler so the engine stops without
 * marking the batch processed; the supervisor restarts it from the last committed offset.
 */
public final class PublishFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PublishFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
