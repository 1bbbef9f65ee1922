package org.edapipeline.schemas.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class ExponentialBackoffTest {

  private static final Duration INITIAL = Duration.ofMillis(100);
  private static final Duration MAX = Duration.ofSeconds(1);

  @Test
  void shouldDoubleTheLowerAndUpperBoundsUntilTheCap() {
    ExponentialBackoff lowest = new ExponentialBackoff(INITIAL, MAX, (from, to) -> from);
    ExponentialBackoff highest = new ExponentialBackoff(INITIAL, MAX, (from, to) -> to);

    assertThat(highest.delay(0)).isEqualTo(Duration.ofMillis(100));
    assertThat(highest.delay(1)).isEqualTo(Duration.ofMillis(200));
    assertThat(highest.delay(2)).isEqualTo(Duration.ofMillis(400));
    assertThat(highest.delay(3)).isEqualTo(Duration.ofMillis(800));
    assertThat(highest.delay(4)).isEqualTo(MAX);
    assertThat(lowest.delay(0)).isEqualTo(Duration.ofMillis(50));
    assertThat(lowest.delay(3)).isEqualTo(Duration.ofMillis(400));
    assertThat(lowest.delay(4)).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void shouldNeverExceedTheCapHoweverManyRetries() {
    ExponentialBackoff highest = new ExponentialBackoff(INITIAL, MAX, (from, to) -> to);

    for (int retry : new int[] {5, 10, 31, 62, 63, 64, 1_000, Integer.MAX_VALUE}) {
      assertThat(highest.delay(retry)).as("retry %d", retry).isEqualTo(MAX);
    }
    assertThat(highest.delay(-3)).isEqualTo(INITIAL);
  }

  @RepeatedTest(5)
  void shouldGrowWithJitterWithinHalfAndAllOfTheCeiling() {
    ExponentialBackoff backoff = new ExponentialBackoff(INITIAL, MAX);
    Set<Duration> firstDelays = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      firstDelays.add(backoff.delay(0));
      assertThat(backoff.delay(0).toMillis()).isBetween(50L, 100L);
      assertThat(backoff.delay(2).toMillis()).isBetween(200L, 400L);
      assertThat(backoff.delay(9).toMillis()).isBetween(500L, 1_000L);
    }
    assertThat(firstDelays).as("jitter spreads retries").hasSizeGreaterThan(5);
  }

  @Test
  void shouldRefuseBoundsThatCannotGrow() {
    assertThatThrownBy(() -> new ExponentialBackoff(Duration.ZERO, MAX))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> new ExponentialBackoff(MAX, INITIAL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("below");
  }
}
