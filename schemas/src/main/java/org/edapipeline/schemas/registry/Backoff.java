package org.edapipeline.schemas.registry;

import java.time.Duration;
import org.edapipeline.schemas.retry.ExponentialBackoff;

/** The registry client's retry delays: {@link ExponentialBackoff}, in milliseconds. */
final class Backoff {
  private final ExponentialBackoff backoff;

  Backoff(Duration initial, Duration max) {
    this.backoff = new ExponentialBackoff(initial, max);
  }

  /** The delay before retry number {@code retry} (0 for the first retry), in milliseconds. */
  long delayMillis(int retry) {
    return backoff.delay(retry).toMillis();
  }
}
