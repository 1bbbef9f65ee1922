package org.edapipeline.dlq.replay;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Spaces calls evenly at a fixed rate: the n-th {@link #acquire()} returns no earlier than {@code
 * (n-1) / rate} seconds after the first. No bursts: a replay must not flood a topic the jobs read
 * in real time. Not thread-safe (one replay loop uses it).
 */
public final class RateLimiter {

  /** Waits for a number of nanoseconds; interruptible. */
  @FunctionalInterface
  public interface Sleeper {
    void sleepNanos(long nanos) throws InterruptedException;
  }

  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  private long next = Long.MIN_VALUE;

  /**
   * @param perSecond permits per second, positive; {@link Double#POSITIVE_INFINITY} for no limit
   */
  public RateLimiter(double perSecond) {
    this(perSecond, System::nanoTime, nanos -> TimeUnit.NANOSECONDS.sleep(nanos));
  }

  /** For tests: a clock and a sleeper of their own. */
  public RateLimiter(double perSecond, LongSupplier nanoTime, Sleeper sleeper) {
    if (!(perSecond > 0)) {
      throw new IllegalArgumentException("rate must be positive: " + perSecond);
    }
    this.intervalNanos =
        Double.isInfinite(perSecond) ? 0 : Math.max(1, Math.round(1_000_000_000d / perSecond));
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
  }

  /** A limiter that never waits. */
  public static RateLimiter unlimited() {
    return new RateLimiter(Double.POSITIVE_INFINITY);
  }

  /** Waits until the next permit is due, then takes it. */
  public void acquire() throws InterruptedException {
    if (intervalNanos == 0) {
      return;
    }
    long now = nanoTime.getAsLong();
    if (next == Long.MIN_VALUE || now - next >= 0) {
      next = now; // idle (or first): no credit is saved up, so no burst follows a pause
    } else {
      sleeper.sleepNanos(next - now);
    }
    next += intervalNanos;
  }
}
