package org.edapipeline.jobs.saga.state;

import org.edapipeline.schemas.deadletter.RecordRejection;

/**
 * A business failure of a saga that a person must look at. Never thrown: it names the failure in a
 * dead letter ({@code errorClass}, {@code errorMessage}), so the dead-letter queue can be grouped
 * by kind the same way as for records that failed with a real exception.
 */
public abstract class SagaFailureException extends RuntimeException implements RecordRejection {

  SagaFailureException(String message) {
    super(message, null, false, false);
  }

  /** Events arrived for an order whose OrderPlaced did not come within its deadline. */
  public static final class UnknownSaga extends SagaFailureException {
    UnknownSaga(String message) {
      super(message);
    }
  }

  /** A compensation command was not acknowledged within the compensation deadline. */
  public static final class CompensationNotAcknowledged extends SagaFailureException {
    CompensationNotAcknowledged(String message) {
      super(message);
    }
  }
}
