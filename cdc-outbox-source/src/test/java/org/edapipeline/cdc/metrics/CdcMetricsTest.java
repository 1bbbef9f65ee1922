package org.edapipeline.cdc.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CdcMetricsTest {

  @Test
  void shouldRenderEveryMetricInPrometheusTextFormat() {
    AtomicLong now = new AtomicLong(10_000);
    CdcMetrics metrics = new CdcMetrics(now::get);
    metrics.published(41);
    metrics.published(1);
    metrics.publishFailed();
    metrics.deadLettered();
    metrics.engineRunning(true);
    metrics.acknowledged(9_250, 123_456);

    String text = metrics.toPrometheusText(2048);

    assertThat(text)
        .contains(
            "# HELP cdc_events_published_total ",
            "# TYPE cdc_events_published_total counter\ncdc_events_published_total 42\n",
            "cdc_publish_failures_total 1\n",
            "cdc_dead_letters_total 1\n",
            "cdc_engine_restarts_total 0\n",
            "# TYPE cdc_engine_running gauge\ncdc_engine_running 1\n",
            "cdc_millis_behind_source 750\n",
            "cdc_replication_slot_lag_bytes 2048\n",
            "cdc_last_acknowledged_lsn 123456\n");
    assertThat(text.lines().filter(l -> !l.startsWith("#")))
        .allMatch(l -> l.matches("[a-z_]+ -?[0-9]+"));
  }

  @Test
  void shouldReportNoLagWhenIdleAndUnknownsAsMinusOne() {
    CdcMetrics metrics = new CdcMetrics(() -> 50_000);

    assertThat(metrics.millisBehindSource()).isEqualTo(-1);
    assertThat(metrics.toPrometheusText(-5))
        .contains("cdc_replication_slot_lag_bytes -1\n", "cdc_last_acknowledged_lsn -1\n");

    metrics.acknowledged(1_000, 10);
    assertThat(metrics.millisBehindSource()).isEqualTo(49_000);
    metrics.idle();
    assertThat(metrics.millisBehindSource()).isZero();
    metrics.acknowledged(-1, 5);
    assertThat(metrics.lastAcknowledgedLsn()).as("never goes back").isEqualTo(10);
  }
}
