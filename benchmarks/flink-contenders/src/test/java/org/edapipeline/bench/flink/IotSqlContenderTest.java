package org.edapipeline.bench.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Map;
import org.edapipeline.bench.contract.ContenderSpec;
import org.junit.jupiter.api.Test;

class IotSqlContenderTest {

  @Test
  void shouldWriteIntervalsToTheMillisecond() {
    assertThat(IotSqlContender.interval(Duration.ofMinutes(1)))
        .isEqualTo("INTERVAL '0 00:01:00.000' DAY TO SECOND(3)");
    assertThat(IotSqlContender.interval(Duration.ofMinutes(5).plusMillis(250)))
        .isEqualTo("INTERVAL '0 00:05:00.250' DAY TO SECOND(3)");
    assertThat(IotSqlContender.interval(Duration.ofHours(25)))
        .isEqualTo("INTERVAL '1 01:00:00.000' DAY TO SECOND(3)");
  }

  @Test
  void shouldQueryTumbleAloneOrWithHop() {
    Map<String, String> values =
        Map.of(
            ContenderSpec.RUN_ID, "r",
            ContenderSpec.WORK_DIR, "/tmp/r",
            ContenderSpec.BOOTSTRAP_SERVERS, "b:9092",
            ContenderSpec.SCHEMA_REGISTRY_URL, "http://r",
            ContenderSpec.INPUT_TOPICS, "iot.readings",
            ContenderSpec.OUTPUT_TOPICS, "iot.aggregates",
            ContenderSpec.PARTITIONS, "2",
            ContenderSpec.CHECKPOINT_INTERVAL_MS, "1000");
    String tumbling = IotSqlContender.query(FlinkContenderSpec.of(ContenderSpec.of(values)));
    assertThat(tumbling).contains("TUMBLE(").doesNotContain("HOP(", "UNION");

    Map<String, String> sliding = new java.util.HashMap<>(values);
    sliding.put(ContenderSpec.WINDOW, "sliding");
    String both = IotSqlContender.query(FlinkContenderSpec.of(ContenderSpec.of(sliding)));
    assertThat(both)
        .contains("TUMBLE(", "UNION ALL")
        .contains(
            "HOP(TABLE readings, DESCRIPTOR(rowtime), INTERVAL '0 00:01:00.000' DAY TO"
                + " SECOND(3), INTERVAL '0 00:05:00.000' DAY TO SECOND(3))");
  }

  @Test
  void shouldReadWindowBoundsAsUtc() {
    Instant start = Instant.parse("2026-11-29T10:01:00Z");
    assertThat(SqlWindowAggregates.epochMillis(start)).isEqualTo(start.toEpochMilli());
    assertThat(SqlWindowAggregates.epochMillis(LocalDateTime.parse("2026-11-29T10:01:00")))
        .isEqualTo(start.toEpochMilli());
  }
}
