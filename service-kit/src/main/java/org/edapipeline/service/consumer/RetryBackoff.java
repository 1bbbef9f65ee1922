package org.edapipeline.service.consumer;

import java.time.Duration;
import org.edapipeline.schemas.retry.ExponentialBackoff;

/**
 * The consumer's retry delays: {@link ExponentialBackoff} counted by failed attempts, so attempt
 * {@code n} (from 1) waits between half and all of {@code min(max, initial * 2^(n-1))}.
 */
final class RetryBackoff {

  private final ExponentialBackoff backoff;

  RetryBackoff(Duration initial, Duration max) {
    this.backoff = new ExponentialBackoff(initial, max);
  }

  /** The delay after failed attempt {@code attempt} (1 for the first failure). */
  Duration delay(int attempt) {
    return backoff.delay(attempt - 1);
  }
}
