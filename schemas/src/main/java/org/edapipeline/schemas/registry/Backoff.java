package org.edapipeline.schemas.registry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: the n-th retry waits a random time in {@code [d/2, d]} where
 * {@code d = min(max, initial * 2^n)}. Jitter keeps many clients that failed together from retrying
 * together; the lower half-bound keeps the growth.
 */
final class Backoff {
  private final long initialMillis;
  private final long maxMillis;

  Backoff(Duration initial, Duration max) {
    this.initialMillis = initial.toMillis();
    this.maxMillis = max.toMillis();
  }

  /** The delay before retry number {@code retry} (0 for the first retry), in milliseconds. */
  long delayMillis(int retry) {
    long ceiling = maxMillis;
    if (retry < 62 && initialMillis <= (maxMillis >> Math.min(retry, 62))) {
      ceiling = Math.min(maxMillis, initialMillis << retry);
    }
    long floor = ceiling / 2;
    return floor + ThreadLocalRandom.current().nextLong(ceiling - floor + 1);
  }
}
