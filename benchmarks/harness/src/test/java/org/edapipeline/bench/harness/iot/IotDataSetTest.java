package org.edapipeline.bench.harness.iot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IotDataSetTest {

  private static final Instant NOW = Instant.parse("2026-11-29T10:00:30Z");

  @Test
  void shouldExpectTheWindowsOfDataWithoutJitter() {
    // A 1 ms bound leaves no jitter: 12 readings 10 s apart fill exactly 2 minutes per sensor.
    IotDataSet data = new IotDataSet(spec(8, 12, Duration.ofMillis(1)), NOW);

    assertThat(data.end() - data.start()).isEqualTo(Duration.ofMinutes(2).toMillis());
    assertThat(data.expectedTumblingWindows()).isEqualTo(8 * 2 * 2);
    // Each sensor's 2 slices lie in the 5-minute windows starting 4 minutes before the first
    // slice up to the last slice: 6 windows.
    assertThat(data.expectedSlidingWindows()).isEqualTo(8 * 2 * 6);
    assertThat(data.inputEvents()).isEqualTo(8 * 2 * 12 + 4);
  }

  @Test
  void shouldPlaceTheDataInTheRecentPastAndASentinelPerPartitionPastEveryWindow() {
    IotDataSetSpec spec = spec(40, 30, Duration.ofSeconds(10));
    IotDataSet data = new IotDataSet(spec, NOW);
    List<IotDataSet.Reading> sentinels = new ArrayList<>();
    Set<Integer> partitions = new HashSet<>();
    data.forEach(
        r -> {
          if (r.sentinel()) {
            sentinels.add(r);
            partitions.add(IotDataSet.partitionOf(r.deviceId(), spec.partitions()));
          } else {
            assertThat(r.measuredAt()).isLessThan(data.end());
          }
        });

    assertThat(sentinels).hasSize(4);
    assertThat(partitions).containsExactlyInAnyOrder(0, 1, 2, 3);
    assertThat(data.sentinelTime())
        .isEqualTo(data.end() + Duration.ofMinutes(5).plusSeconds(10).toMillis())
        .isLessThanOrEqualTo(NOW.minus(IotDataSet.MARGIN).toEpochMilli());
    assertThat(data.end() % 60_000).isZero();
    assertThat(data.start() % 60_000).isZero();
  }

  @Test
  void shouldNeverMakeAReadingLateForAWatermarkOfTheBound() {
    IotDataSetSpec spec = spec(40, 60, Duration.ofSeconds(10));
    IotDataSet data = new IotDataSet(spec, NOW);
    Map<Integer, Long> maxSeen = new HashMap<>();
    long bound = spec.outOfOrderness().toMillis();
    List<Long> lateness = new ArrayList<>();
    data.forEach(
        r -> {
          int partition = IotDataSet.partitionOf(r.deviceId(), spec.partitions());
          long max = maxSeen.getOrDefault(partition, Long.MIN_VALUE);
          long windowEnd = Math.floorDiv(r.measuredAt(), 60_000) * 60_000 + 60_000;
          // Flink: late when the watermark (max - bound - 1) has reached the window's end - 1.
          if (max != Long.MIN_VALUE && max - bound - 1 >= windowEnd - 1) {
            lateness.add(r.index());
          }
          maxSeen.put(partition, Math.max(max, r.measuredAt()));
        });

    assertThat(lateness).isEmpty();
  }

  @Test
  void shouldGenerateTheSameDataForTheSameSeed() {
    List<Double> first = new ArrayList<>();
    List<Double> second = new ArrayList<>();
    new IotDataSet(spec(8, 5, Duration.ofSeconds(10)), NOW).forEach(r -> first.add(r.value()));
    new IotDataSet(spec(8, 5, Duration.ofSeconds(10)), NOW).forEach(r -> second.add(r.value()));

    assertThat(first).isEqualTo(second).hasSize(8 * 2 * 5 + 4);
  }

  private static IotDataSetSpec spec(int devices, int perSensor, Duration bound) {
    return new IotDataSetSpec(
        devices,
        perSensor,
        Duration.ofSeconds(10),
        bound,
        Duration.ofMinutes(1),
        Duration.ofMinutes(5),
        Duration.ofMinutes(1),
        4,
        42L);
  }
}
