package org.edapipeline.schemas.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongBinaryOperator;

/**
 * Exponential backoff with jitter, the one retry policy of the pipeline's plain-Java clients (the
 * registry client, the idempotent consumer, the dlq tool): retry {@code n} (0 for the first retry)
 * waits a random time in {@code [d/2, d]} where {@code d = min(max, initial * 2^n)}.
 *
 * <p>The jitter keeps clients that failed together from retrying together; the lower half-bound
 * keeps the growth, so delays grow until they reach the cap and never exceed it. Thread-safe and
 * immutable.
 */
public final class ExponentialBackoff {

  private final long initialMillis;
  private final long maxMillis;
  private final LongBinaryOperator random;

  /**
   * @param initial the ceiling of the first retry's delay, positive
   * @param max the cap of every delay, at least {@code initial}
   * @throws IllegalArgumentException if {@code initial} is not positive or exceeds {@code max}
   */
  public ExponentialBackoff(Duration initial, Duration max) {
    this(initial, max, (from, to) -> ThreadLocalRandom.current().nextLong(from, to + 1));
  }

  /**
   * For tests: {@code random} returns a value in {@code [from, to]} (both inclusive), e.g. always
   * {@code from} or always {@code to} to see the bounds.
   */
  public ExponentialBackoff(Duration initial, Duration max, LongBinaryOperator random) {
    this.initialMillis = Objects.requireNonNull(initial, "initial").toMillis();
    this.maxMillis = Objects.requireNonNull(max, "max").toMillis();
    this.random = Objects.requireNonNull(random, "random");
    if (initialMillis <= 0) {
      throw new IllegalArgumentException("initial backoff must be positive: " + initial);
    }
    if (maxMillis < initialMillis) {
      throw new IllegalArgumentException(
          "max backoff " + max + " is below the initial backoff " + initial);
    }
  }

  /** The delay before retry number {@code retry} (0 for the first retry; negative counts as 0). */
  public Duration delay(int retry) {
    int doublings = Math.max(retry, 0);
    long ceiling = maxMillis;
    // initial * 2^n <= max  <=>  initial <= max >> n (no overflow for any n)
    if (doublings < 63 && initialMillis <= (maxMillis >> doublings)) {
      ceiling = initialMillis << doublings;
    }
    long floor = ceiling / 2;
    return Duration.ofMillis(random.applyAsLong(floor, ceiling));
  }

  /** The ceiling of the first retry's delay. */
  public Duration initial() {
    return Duration.ofMillis(initialMillis);
  }

  /** The cap of every delay. */
  public Duration max() {
    return Duration.ofMillis(maxMillis);
  }

  @Override
  public String toString() {
    return "ExponentialBackoff[initial=" + initialMillis + "ms, max=" + maxMillis + "ms]";
  }
}
