package org.edapipeline.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatsTest {

  @Test
  void shouldTakeTheMiddleValueOrTheMeanOfTheMiddleTwo() {
    assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    assertThat(Stats.median(List.of())).isNaN();
  }

  @Test
  void shouldComputeRatiosPerPairAndSkipPairsWhereEitherRunFailed() {
    Map<Integer, RunRecord> ours =
        Map.of(0, run("ours", 0, 10), 1, run("ours", 1, 20), 2, run("ours", 2, 10));
    Map<Integer, RunRecord> theirs =
        Map.of(
            0, run("kstreams", 0, 5),
            1, run("kstreams", 1, 40),
            2, RunRecord.failed("s", "kstreams", 2, false, "boom"));

    // elapsed 10 s vs 5 s: twice our throughput; 20 s vs 40 s: half.
    List<Double> ratios = Stats.pairRatios(ours, theirs, RunRecord::eventsPerSecond);

    assertThat(ratios).containsExactlyInAnyOrder(2.0, 0.5);
    Stats.Spread spread = Stats.spread(ratios).orElseThrow();
    assertThat(spread.median()).isCloseTo(1.25, within(1e-9));
    assertThat(spread.min()).isEqualTo(0.5);
    assertThat(spread.max()).isEqualTo(2.0);
  }

  @Test
  void shouldDeriveThroughputAndCostFromARun() {
    RunRecord run =
        new RunRecord(
            "s", "c", 0, false, 2_000_000, 8.0, 4.0, null, null, null, null, Map.of(), null);

    assertThat(run.eventsPerSecond()).isEqualTo(500_000.0);
    assertThat(run.cpuSecondsPerMillion()).isEqualTo(4.0);
    assertThat(run.eventsPerCpuSecond()).isEqualTo(250_000.0);
  }

  static RunRecord run(String contender, int pair, double elapsedSeconds) {
    return new RunRecord(
        "s",
        contender,
        pair,
        false,
        1_000_000,
        elapsedSeconds,
        elapsedSeconds,
        null,
        null,
        null,
        null,
        Map.of(),
        null);
  }
}
