package org.edapipeline.jobs.common;

import java.io.Serializable;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.apache.flink.streaming.api.functions.async.AsyncRetryPredicate;
import org.apache.flink.streaming.api.functions.async.AsyncRetryStrategy;

/**
 * Flink async I/O retry strategy of a {@link RetryingAsyncFunction}: exponential backoff with
 * jitter ({@link RetrySettings}), retrying while an attempt's output is a pending failure. Flink's
 * {@code AsyncRetryStrategies} have no jitter, hence this one.
 *
 * <p>It never refuses a retry by count: the function itself decides when to give up (it knows the
 * attempts already made, including one made before the async stage) and then completes with a
 * result, which ends the retries. The async operator's timeout bounds the whole.
 *
 * @param <OUT> the function's output type
 */
final class BackoffRetryStrategy<OUT> implements AsyncRetryStrategy<OUT> {
  private static final long serialVersionUID = 1L;

  private final RetrySettings settings;
  private final SerializablePredicate<OUT> retryPending;

  /** Whether an output asks for another attempt; serializable, shipped with the strategy. */
  interface SerializablePredicate<T> extends Predicate<T>, Serializable {}

  BackoffRetryStrategy(RetrySettings settings, SerializablePredicate<OUT> retryPending) {
    this.settings = settings;
    this.retryPending = retryPending;
  }

  @Override
  public boolean canRetry(int currentAttempts) {
    return true;
  }

  @Override
  public long getBackoffTimeMillis(int currentAttempts) {
    return jittered(settings.backoffCeilingMillis(currentAttempts));
  }

  /** A random delay in {@code [3/4 ceiling, ceiling]}: spread out, yet still growing. */
  static long jittered(long ceiling) {
    long floor = ceiling - ceiling / 4;
    return floor >= ceiling ? ceiling : ThreadLocalRandom.current().nextLong(floor, ceiling + 1);
  }

  @Override
  public AsyncRetryPredicate<OUT> getRetryPredicate() {
    return new AsyncRetryPredicate<>() {
      @Override
      public Optional<Predicate<Collection<OUT>>> resultPredicate() {
        return Optional.of(results -> results.stream().anyMatch(retryPending));
      }

      @Override
      public Optional<Predicate<Throwable>> exceptionPredicate() {
        return Optional.empty();
      }
    };
  }
}
