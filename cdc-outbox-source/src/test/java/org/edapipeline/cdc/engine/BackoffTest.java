package org.edapipeline.cdc.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void shouldDoubleUpToTheMaximumAndStartOverAfterAHealthyRun() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(500));
    Duration quickFailure = Duration.ofMillis(10);

    assertThat(backoff.next(quickFailure)).isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.next(quickFailure)).isEqualTo(Duration.ofMillis(200));
    assertThat(backoff.next(quickFailure)).isEqualTo(Duration.ofMillis(400));
    assertThat(backoff.next(quickFailure)).isEqualTo(Duration.ofMillis(500));
    assertThat(backoff.next(quickFailure)).isEqualTo(Duration.ofMillis(500));
    assertThat(backoff.next(Duration.ofSeconds(5)))
        .as("after a healthy run")
        .isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void shouldRefuseAMaximumBelowTheInitialDelay() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
