package org.edapipeline.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.edapipeline.faults.WorkloadDriver.Pacing;
import org.edapipeline.faults.WorkloadDriver.Schedule;
import org.junit.jupiter.api.Test;

class PacingTest {
  /** Four steps of 1, 1, 4 and 4 events: 10 in all. */
  private static final long[] CUMULATIVE = {0, 1, 2, 6, 10};

  @Test
  void shouldSpreadEventsEvenlyOverTheDuration() {
    Schedule schedule = Pacing.even(Duration.ofSeconds(10)).schedule(CUMULATIVE);

    assertThat(schedule.firstMain()).isZero();
    assertThat(schedule.dueNanos(0)).isZero();
    assertThat(schedule.dueNanos(2)).isEqualTo(Duration.ofSeconds(2).toNanos());
    assertThat(schedule.dueNanos(3)).isEqualTo(Duration.ofSeconds(6).toNanos());
  }

  @Test
  void shouldWriteTheLeadAtItsOwnRateAndThenTheMainPhase() {
    // 60% of the events (6) in the 1 s lead, the other 4 in the 1 s main phase.
    Schedule schedule =
        new Pacing(Duration.ofSeconds(1), 0.6, Duration.ofSeconds(1), 4).schedule(CUMULATIVE);

    assertThat(schedule.firstMain()).isEqualTo(3);
    assertThat(schedule.phase(2)).isZero();
    assertThat(schedule.phase(3)).isEqualTo(1);
    assertThat(schedule.dueNanos(1)).isEqualTo(Duration.ofMillis(166).toNanos() + 666_666);
    assertThat(schedule.dueNanos(3)).isEqualTo(Duration.ofSeconds(1).toNanos());
  }
}
