package org.edapipeline.jobs.common;

import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;

/**
 * How a job retries transient failures ({@link RetryingAsyncFunction}): at most {@code maxAttempts}
 * attempts in all; before retry {@code n} (1 for the first retry) it waits a random time in {@code
 * [3/4 d, d]}, {@code d = min(maxBackoff, initialBackoff * 2^(n-1))} (exponential backoff with
 * jitter); at most {@code capacity} records are being retried at once per subtask.
 *
 * @param maxAttempts attempts in all, first one included; at least 1
 * @param initialBackoff ceiling of the first retry's delay; positive
 * @param maxBackoff cap of every delay; at least {@code initialBackoff}
 * @param attemptTimeout how long one attempt may take before it counts as failed transiently
 * @param capacity records in retry at once per subtask (async I/O capacity)
 */
public record RetrySettings(
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration attemptTimeout,
    int capacity)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  public RetrySettings {
    if (maxAttempts < 1) {
      throw new JobConfigurationException(
          "--" + CommonOptions.RETRY_MAX_ATTEMPTS.key() + " must be at least 1: " + maxAttempts);
    }
    positive(initialBackoff, CommonOptions.RETRY_INITIAL_BACKOFF.key());
    positive(maxBackoff, CommonOptions.RETRY_MAX_BACKOFF.key());
    positive(attemptTimeout, CommonOptions.RETRY_ATTEMPT_TIMEOUT.key());
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new JobConfigurationException(
          "--"
              + CommonOptions.RETRY_MAX_BACKOFF.key()
              + " ("
              + maxBackoff
              + ") is below --"
              + CommonOptions.RETRY_INITIAL_BACKOFF.key()
              + " ("
              + initialBackoff
              + ")");
    }
    if (capacity < 1) {
      throw new JobConfigurationException(
          "--" + CommonOptions.RETRY_CAPACITY.key() + " must be positive: " + capacity);
    }
  }

  /** The defaults of the {@code retry.*} options: 3 attempts, 1 s to 30 s, 30 s, 100. */
  public static RetrySettings defaults() {
    return from(new Configuration());
  }

  /** Reads the {@code retry.*} options. */
  public static RetrySettings from(Configuration config) {
    return new RetrySettings(
        config.get(CommonOptions.RETRY_MAX_ATTEMPTS),
        config.get(CommonOptions.RETRY_INITIAL_BACKOFF),
        config.get(CommonOptions.RETRY_MAX_BACKOFF),
        config.get(CommonOptions.RETRY_ATTEMPT_TIMEOUT),
        config.get(CommonOptions.RETRY_CAPACITY));
  }

  /** The ceiling of the delay before retry {@code retry} (1 for the first retry). */
  public long backoffCeilingMillis(int retry) {
    long initial = initialBackoff.toMillis();
    long max = maxBackoff.toMillis();
    int doublings = Math.max(0, retry - 1);
    return doublings < 63 && initial <= (max >> doublings) ? initial << doublings : max;
  }

  /**
   * The async stage's overall timeout for one record: every attempt and every delay, plus one
   * attempt of slack; past it the record is dead-lettered as TRANSIENT.
   */
  public Duration totalTimeout() {
    long total = attemptTimeout.toMillis() * (maxAttempts + 1);
    for (int retry = 1; retry < maxAttempts; retry++) {
      total += backoffCeilingMillis(retry);
    }
    return Duration.ofMillis(total);
  }

  private static void positive(Duration value, String key) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new JobConfigurationException("--" + key + " must be positive: " + value);
    }
  }
}
