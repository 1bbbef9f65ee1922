package org.edapipeline.jobs.common;

import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.ErrorCategory;
import org.edapipeline.schemas.deadletter.ErrorClassifier;

/**
 * The retry stage of a source: decodes again, with backoff, the records whose decoding failed
 * transiently in the source (the schema registry was unreachable). The source's failure counts as
 * attempt 1; a record that decodes is passed on as if the source had decoded it, one that still
 * fails after {@code retry.max-attempts} attempts becomes a TRANSIENT dead letter with its attempt
 * count and first and last failure times (or at once POISON/PERMANENT if the retry reveals that the
 * bytes themselves are bad).
 *
 * @param <T> the event type
 */
public final class DecodeRetryFunction<T> extends RetryingAsyncFunction<Sourced<T>, T, Sourced<T>> {
  private static final long serialVersionUID = 1L;

  /** Threads per subtask making registry calls; the capacity bounds records in retry. */
  private static final int THREADS = 2;

  private final String jobName;

  /**
   * @param decoder decodes like the source
   * @param jobName recorded in dead letters
   */
  public DecodeRetryFunction(RecordDecoder<T> decoder, RetrySettings settings, String jobName) {
    super(new DecodeCall<>(decoder), settings, THREADS);
    this.jobName = jobName;
  }

  @Override
  protected Attempts priorAttempts(Sourced<T> input) {
    DeadLetter first = input.deadLetter;
    return first == null
        ? Attempts.NONE
        : new Attempts(
            first.getAttemptCount(), first.getFirstFailureAt(), first.getLastFailureAt());
  }

  @Override
  protected ErrorCategory classify(Throwable error) {
    return ErrorClassifier.classifyDecoding(error);
  }

  @Override
  protected Sourced<T> onSuccess(Sourced<T> input, T event) {
    return Sourced.of(input.origin, event);
  }

  @Override
  protected Sourced<T> onGiveUp(
      Sourced<T> input, Throwable error, ErrorCategory category, Attempts attempts) {
    String operatorUid = input.deadLetter != null ? input.deadLetter.getOperatorUid() : "retry";
    return Sourced.failed(
        input.origin,
        input
            .origin
            .deadLetter()
            .failedIn(jobName, operatorUid)
            .error(error)
            .category(category)
            .attempts(attempts.count(), attempts.firstFailureAt(), attempts.lastFailureAt())
            .build());
  }

  @Override
  protected boolean isRetryPending(Sourced<T> output) {
    DeadLetter letter = output.deadLetter;
    return letter != null
        && letter.getErrorCategory() == ErrorCategory.TRANSIENT
        && letter.getAttemptCount() < settings().maxAttempts();
  }

  /** One decode of the record's original value bytes. */
  private static final class DecodeCall<T> implements RetryableCall<Sourced<T>, T> {
    private static final long serialVersionUID = 1L;

    private final RecordDecoder<T> decoder;

    DecodeCall(RecordDecoder<T> decoder) {
      this.decoder = decoder;
    }

    @Override
    public void open() {
      decoder.open();
    }

    @Override
    public T call(Sourced<T> input) {
      return decoder.decode(input.origin.value);
    }
  }
}
