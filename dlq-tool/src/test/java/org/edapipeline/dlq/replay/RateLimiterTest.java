package org.edapipeline.dlq.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  private long now = 1_000_000_000L;
  private final List<Long> sleeps = new ArrayList<>();
  private final RateLimiter limiter =
      new RateLimiter(
          4,
          () -> now,
          nanos -> {
            sleeps.add(nanos);
            now += nanos;
          });

  @Test
  void shouldSpacePermitsEvenlyWithoutAnInitialBurst() throws InterruptedException {
    for (int i = 0; i < 5; i++) {
      limiter.acquire();
    }

    assertThat(sleeps).containsExactly(250_000_000L, 250_000_000L, 250_000_000L, 250_000_000L);
  }

  @Test
  void shouldNotSaveUpCreditWhileIdle() throws InterruptedException {
    limiter.acquire();
    now += 10_000_000_000L; // ten idle seconds

    limiter.acquire();
    limiter.acquire();

    assertThat(sleeps).containsExactly(250_000_000L);
  }

  @Test
  void shouldWaitOnlyForWhatIsLeftOfTheInterval() throws InterruptedException {
    limiter.acquire();
    now += 100_000_000L;

    limiter.acquire();

    assertThat(sleeps).containsExactly(150_000_000L);
  }

  @Test
  void shouldRefuseANonPositiveRate() {
    assertThatThrownBy(() -> new RateLimiter(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RateLimiter(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
