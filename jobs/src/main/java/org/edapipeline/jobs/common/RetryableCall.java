package org.edapipeline.jobs.common;

import java.io.Serializable;

/**
 * A call that may fail transiently (a registry lookup, an external service), run by a {@link
 * RetryingAsyncFunction} on its own threads. Serializable: it is shipped with the job and opened
 * once per subtask.
 *
 * @param <IN> what the call is made for
 * @param <R> its result
 */
@FunctionalInterface
public interface RetryableCall<IN, R> extends Serializable {

  /** Creates clients; called once per subtask before any {@link #call}. */
  default void open() throws Exception {}

  /**
   * One attempt. May be called again for the same input after a transient failure, from any of the
   * function's threads (concurrently for different inputs).
   *
   * @throws Exception classified by {@code ErrorClassifier}: a transient one is retried
   */
  R call(IN input) throws Exception;

  /** Releases what {@link #open} created. */
  default void close() throws Exception {}
}
