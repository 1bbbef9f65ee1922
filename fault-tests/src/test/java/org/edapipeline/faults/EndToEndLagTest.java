package org.edapipeline.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.edapipeline.faults.EndToEndLag.Sample;
import org.junit.jupiter.api.Test;

class EndToEndLagTest {
  private static final long FAULT = 100_000;

  /** Twenty outputs before the fault, visible every 100 ms with a lag of 500 ms. */
  private static List<Sample> steady() {
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      samples.add(new Sample(FAULT - 2_000 + i * 100, 500));
    }
    return samples;
  }

  @Test
  void shouldRecoverWhenTheLastOutputOutsideTheBandBecomesVisible() {
    List<Sample> samples = steady();
    samples.add(new Sample(FAULT + 3_000, 4_000));
    samples.add(new Sample(FAULT + 5_000, 2_000)); // outside 0.5 s + 1 s: the last one
    samples.add(new Sample(FAULT + 6_000, 1_400)); // inside the band
    samples.add(new Sample(FAULT + 7_000, 600));

    EndToEndLag lag = EndToEndLag.of(samples, FAULT, Optional.empty());

    assertThat(lag.baseline()).contains(Duration.ofMillis(500));
    assertThat(lag.peak()).isEqualTo(Duration.ofMillis(4_000));
    assertThat(lag.recovery()).contains(Duration.ofMillis(5_000));
    assertThat(lag.samples()).isEqualTo(24);
  }

  @Test
  void shouldRecoverAtOnceWhenTheFaultNeverLeavesTheBand() {
    List<Sample> samples = steady();
    samples.add(new Sample(FAULT + 1_000, 1_500));

    assertThat(EndToEndLag.of(samples, FAULT, Optional.empty()).recovery()).contains(Duration.ZERO);
  }

  @Test
  void shouldTakeTheBaselineFromThe95thPercentileBeforeTheFault() {
    List<Sample> samples = steady();
    samples.set(0, new Sample(FAULT - 2_000, 9_000)); // one outlier of 20: above the 95th

    EndToEndLag lag = EndToEndLag.of(samples, FAULT, Optional.empty());

    assertThat(lag.baseline()).contains(Duration.ofMillis(500));
  }

  @Test
  void shouldNotKnowTheRecoveryWithoutOutputsBeforeTheFault() {
    EndToEndLag lag =
        EndToEndLag.of(List.of(new Sample(FAULT + 1, 3_000)), FAULT, Optional.empty());

    assertThat(lag.baseline()).isEqualTo(Optional.empty());
    assertThat(lag.recovery()).isEqualTo(Optional.empty());
    assertThat(lag.describe()).startsWith("n/a");
  }

  @Test
  void shouldTakeAnEarlierBaselineWhenNoOutputPrecededTheFault() {
    List<Sample> samples =
        List.of(new Sample(FAULT + 1_000, 3_000), new Sample(FAULT + 2_000, 1_000));

    EndToEndLag lag = EndToEndLag.of(samples, FAULT, Optional.of(Duration.ofMillis(500)));

    assertThat(lag.baseline()).contains(Duration.ofMillis(500));
    assertThat(lag.recovery()).contains(Duration.ofMillis(1_000));
  }
}
