package org.edapipeline.jobs.iot.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Window statistics with the t-digest fed in batches. */
class WindowStatsTest {

  @Test
  void shouldEstimateThePercentileWhetherValuesArePendingOrInTheDigest() {
    WindowStats few = new WindowStats();
    for (int value = 1; value <= 10; value++) {
      few.add(value);
    }
    assertThat(few.digest).as("fewer values than a batch stay pending").isNull();
    assertThat(few.quantile(0.95)).isCloseTo(10, within(0.5));

    WindowStats many = new WindowStats();
    for (int value = 1; value <= 1000; value++) {
      many.add(value);
    }
    assertThat(many.digest).isNotNull();
    assertThat(many.pending).hasSizeLessThan(WindowStats.BATCH);
    assertThat(many.count).isEqualTo(1000);
    assertThat(many.sum).isEqualTo(500_500);
    assertThat(many.min).isEqualTo(1);
    assertThat(many.max).isEqualTo(1000);
    assertThat(many.quantile(0.95)).isCloseTo(950, within(5.0));
  }

  @Test
  void shouldMergePendingValuesOfBothSides() {
    WindowStats low = new WindowStats();
    WindowStats high = new WindowStats();
    for (int value = 1; value <= 500; value++) {
      low.add(value);
      high.add(500 + value);
    }
    WindowStats tail = new WindowStats();
    tail.add(2000); // only pending

    low.merge(high);
    low.merge(tail);

    assertThat(low.count).isEqualTo(1001);
    assertThat(low.max).isEqualTo(2000);
    assertThat(low.pending).isNull();
    assertThat(low.quantile(0.5)).isCloseTo(501, within(5.0));
    assertThat(low.quantile(1.0)).isEqualTo(2000);
  }

  @Test
  void shouldComputeTheSameDigestForTheSameValuesInTheSameOrder() {
    WindowStats first = new WindowStats();
    WindowStats replay = new WindowStats();
    for (int i = 0; i < 100; i++) {
      first.add(Math.sin(i) * 50);
      replay.add(Math.sin(i) * 50);
    }
    assertThat(replay.digest).isEqualTo(first.digest);
    assertThat(replay.pending).isEqualTo(first.pending);
  }
}
