package org.edapipeline.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));

  @RepeatedTest(20)
  void shouldGrowExponentiallyWithJitterUpToTheCap() {
    assertThat(backoff.delayMillis(0)).isBetween(50L, 100L);
    assertThat(backoff.delayMillis(1)).isBetween(100L, 200L);
    assertThat(backoff.delayMillis(3)).isBetween(400L, 800L);
    assertThat(backoff.delayMillis(4)).isBetween(500L, 1000L);
    assertThat(backoff.delayMillis(80)).isBetween(500L, 1000L);
  }
}
