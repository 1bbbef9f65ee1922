package org.edapipeline.jobs.saga.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InputBacklogTest {

  private static final long TOLERANCE = 10_000;
  private static final long START = 1_000_000;

  private final InputBacklog backlog = new InputBacklog(TOLERANCE, START);

  @Test
  void shouldWaitUntilOneToleranceAfterTheStartWhileNothingWasRead() {
    assertThat(backlog.postponeMillis(START)).isEqualTo(TOLERANCE);
    assertThat(backlog.postponeMillis(START + 4_000)).isEqualTo(TOLERANCE - 4_000);
    assertThat(backlog.postponeMillis(START + TOLERANCE)).isZero();
    assertThat(backlog.lagMillis()).isZero();
  }

  @Test
  void shouldPostponeByTheToleranceOnlyWhileActiveAndBehind() {
    long now = START + 60_000;
    backlog.onEvent(now, now - 30_000);

    assertThat(backlog.lagMillis()).isEqualTo(30_000);
    assertThat(backlog.postponeMillis(now + InputBacklog.ACTIVE_MILLIS)).isEqualTo(TOLERANCE);
    assertThat(backlog.postponeMillis(now + InputBacklog.ACTIVE_MILLIS + 1)).as("idle").isZero();
  }

  @Test
  void shouldApplyDeadlinesWhenCaughtUpOrAheadOfTheProducersClock() {
    long now = START + 60_000;
    backlog.onEvent(now, now - TOLERANCE);
    assertThat(backlog.postponeMillis(now)).as("lag within the tolerance").isZero();

    backlog.onEvent(now + 1, now + 5_000);
    assertThat(backlog.lagMillis()).as("a producer clock ahead is no lag").isZero();
    assertThat(backlog.postponeMillis(now + 1)).isZero();
  }

  @Test
  void shouldTakeTheFreshestEventOfTheSampleAndRenewTheSampleEverySecond() {
    long now = START + 60_000;
    backlog.onEvent(now, now - 5_000);
    backlog.onEvent(now + 100, now - 40_000);
    assertThat(backlog.lagMillis()).as("an older event in the same sample").isEqualTo(5_000);
    assertThat(backlog.postponeMillis(now + 100)).isZero();

    backlog.onEvent(now + InputBacklog.SAMPLE_MILLIS, now - 40_000);

    assertThat(backlog.lagMillis()).as("the next sample").isEqualTo(41_000);
    assertThat(backlog.postponeMillis(now + InputBacklog.SAMPLE_MILLIS)).isEqualTo(TOLERANCE);
  }

  @Test
  void shouldRefuseANonPositiveTolerance() {
    assertThatThrownBy(() -> new InputBacklog(0, START))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
