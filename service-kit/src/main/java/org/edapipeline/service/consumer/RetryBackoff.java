package org.edapipeline.service.consumer;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: attempt {@code n} (from 1) waits a random time between half and
 * all of {@code min(max, initial * 2^(n-1))}, so consumers that failed together do not retry in
 * lockstep.
 */
final class RetryBackoff {

  private final long initialMillis;
  private final long maxMillis;

  RetryBackoff(Duration initial, Duration max) {
    this.initialMillis = initial.toMillis();
    this.maxMillis = max.toMillis();
  }

  /** The delay after failed attempt {@code attempt} (1 for the first failure). */
  Duration delay(int attempt) {
    int doublings = Math.min(Math.max(attempt - 1, 0), 30);
    long ceiling = Math.min(maxMillis, initialMillis << doublings);
    if (ceiling <= 0) { // overflow of the shift
      ceiling = maxMillis;
    }
    long half = ceiling / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
  }
}
