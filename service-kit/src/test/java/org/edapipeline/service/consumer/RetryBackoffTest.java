package org.edapipeline.service.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {

  private final RetryBackoff backoff =
      new RetryBackoff(Duration.ofMillis(100), Duration.ofSeconds(2));

  @Test
  void shouldDoubleEachAttemptWithJitterUpToTheCap() {
    for (int i = 0; i < 200; i++) {
      assertThat(backoff.delay(1).toMillis()).isBetween(50L, 100L);
      assertThat(backoff.delay(2).toMillis()).isBetween(100L, 200L);
      assertThat(backoff.delay(4).toMillis()).isBetween(400L, 800L);
      assertThat(backoff.delay(10).toMillis()).isBetween(1000L, 2000L);
      assertThat(backoff.delay(Integer.MAX_VALUE).toMillis()).isBetween(1000L, 2000L);
    }
  }

  @Test
  void shouldSpreadRetriesOfTheSameAttempt() {
    long first = backoff.delay(5).toMillis();
    boolean differs = false;
    for (int i = 0; i < 100 && !differs; i++) {
      differs = backoff.delay(5).toMillis() != first;
    }
    assertThat(differs).as("jitter").isTrue();
  }
}
