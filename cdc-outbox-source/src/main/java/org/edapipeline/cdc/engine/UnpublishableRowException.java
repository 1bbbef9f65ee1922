package org.edapipeline.cdc.engine;

/**
 * An outbox row that can never be published as it is (its payload is NULL, or its aggregate type
 * has no topic). It goes to the CDC dead-letter topic; the stream goes on.
 */
public class UnpublishableRowException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnpublishableRowException(String message) {
    super(message);
  }

  /** The row's payload column is NULL: there is no event to publish. */
  public static final class NullPayloadException extends UnpublishableRowException {
    private static final long serialVersionUID = 1L;

    public NullPayloadException(String message) {
      super(message);
    }
  }

  /** The row's aggregate type routes to a topic that is not in the topic catalogue. */
  public static final class UnknownAggregateTypeException extends UnpublishableRowException {
    private static final long serialVersionUID = 1L;

    public UnknownAggregateTypeException(String message) {
      super(message);
    }
  }
}
