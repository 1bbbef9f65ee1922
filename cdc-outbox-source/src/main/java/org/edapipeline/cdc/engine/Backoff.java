package org.edapipeline.cdc.engine;

import java.time.Duration;

/**
 * Exponential backoff between engine restarts: the initial delay, doubled after every failure up to
 * the maximum, back to the initial delay once a run has lasted longer than the maximum (it was
 * healthy, the next failure is a new incident). Not thread-safe.
 */
final class Backoff {
  private final Duration initial;
  private final Duration max;
  private Duration next;

  Backoff(Duration initial, Duration max) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("Need 0 < initial <= max: " + initial + ", " + max);
    }
    this.initial = initial;
    this.max = max;
    this.next = initial;
  }

  /** The delay before the next restart, given how long the failed run lasted. */
  Duration next(Duration runLasted) {
    if (runLasted.compareTo(max) > 0) {
      next = initial;
    }
    Duration delay = next;
    Duration doubled = next.multipliedBy(2);
    next = doubled.compareTo(max) > 0 ? max : doubled;
    return delay;
  }
}
