package org.edapipeline.localstack.summary;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryFormatterTest {

  private static Summary summary(
      Map<String, Long> dlq, long millisBehind, long slotLag, Map<String, Long> pending) {
    Map<String, Long> lag = new LinkedHashMap<>();
    lag.put("saga-correlation", 86L);
    lag.put("inventory-service", -1L);
    return new Summary(
        Duration.ofSeconds(61),
        303,
        224,
        54,
        10,
        28,
        1,
        2_434,
        500,
        10,
        5,
        2,
        23,
        dlq,
        9,
        Map.of("saga-correlation", 25L),
        Map.of("saga-correlation", "RUNNING (12/12 tasks)"),
        lag,
        pending,
        1_212,
        millisBehind,
        slotLag,
        45.24,
        38.66,
        List.of("inventory-service"));
  }

  @Test
  void shouldShowThroughputCdcLagDlqDepthAndPendingRecords() {
    String text =
        SummaryFormatter.format(
            summary(
                Map.of("iot.readings.dlq", 12L, "saga.commands.dlq", 2L),
                35,
                4_096,
                Map.of("saga-correlation", 3L)));

    assertThat(text)
        .contains("---- local stack, up 1m01s")
        .contains("rate    in 45.2/s (outbox events via CDC, readings) | out 38.7/s")
        .contains("cdc     published 1,212 | behind source 35 ms | slot lag 4,096 bytes")
        .contains("dlq     depth 14  (")
        .contains("iot.readings.dlq 12")
        .contains(
            "lag     saga-correlation 86 | inventory-service ? | pending records saga-correlation 3")
        .contains("outage  inventory-service down");
  }

  @Test
  void shouldMarkUnknownCdcLagAndLeaveOutWhatIsEmpty() {
    String text = SummaryFormatter.format(summary(Map.of(), -1, -1, Map.of()));

    assertThat(text)
        .contains("cdc     published 1,212 | behind source - | slot lag ?")
        .contains("dlq     depth 0\n")
        .doesNotContain("pending records");
  }

  @Test
  void shouldReportTheNewNumbersUnderStableJsonPaths() {
    Map<String, Object> report =
        SummaryJson.report(summary(Map.of(), 35, 4_096, Map.of("saga-correlation", 3L)));

    assertThat(report.get("cdc"))
        .isEqualTo(
            Map.of("published", 1_212L, "millis_behind_source", 35L, "slot_lag_bytes", 4_096L));
    assertThat(report.get("throughput"))
        .isEqualTo(Map.of("in_per_second", 45.2, "out_per_second", 38.7));
    assertThat(report.get("pending_records")).isEqualTo(Map.of("saga-correlation", 3L));
  }
}
