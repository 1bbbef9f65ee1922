package org.edapipeline.localstack.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The compose stack's Grafana dashboard and Prometheus alerting rules ask only for metrics the
 * pipeline emits: every metric name in their PromQL is one of {@link PipelineMetrics}, whose names
 * {@code LocalStackITCase} finds in a scrape of the running stack.
 */
class DashboardTest {
  private static final Path COMPOSE = Path.of("..", "deploy", "compose");
  private static final Pattern METRIC_NAME =
      Pattern.compile("\\b(?:flink|cdc|dlq)_[A-Za-z0-9_]+\\b");

  @Test
  void shouldQueryOnlyMetricsThePipelineEmitsInEveryPanel() throws IOException {
    JsonNode dashboard =
        new ObjectMapper()
            .readTree(COMPOSE.resolve("grafana/dashboards/eda-pipeline.json").toFile());
    assertThat(dashboard.path("uid").asText()).isEqualTo("eda-pipeline");
    List<String> expressions = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      if (panel.path("type").asText().equals("row")) {
        continue;
      }
      assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
      panel.path("targets").forEach(target -> expressions.add(target.path("expr").asText()));
    }
    Set<String> used = assertKnownNames(expressions);
    // The panels: lag, throughput, checkpoint duration, DLQ depth, saga outcomes, CDC lag.
    assertThat(used)
        .contains(
            "flink_taskmanager_job_task_operator_pendingRecords",
            "flink_taskmanager_job_task_operator_numRecordsIn",
            "flink_jobmanager_job_lastCheckpointDuration",
            "dlq_depth",
            "flink_taskmanager_job_task_operator_sagasCompleted",
            "cdc_millis_behind_source",
            "cdc_replication_slot_lag_bytes");
  }

  @Test
  void shouldAlertOnlyOnMetricsThePipelineEmits() throws IOException {
    JsonNode rules =
        new ObjectMapper(new YAMLFactory())
            .readTree(COMPOSE.resolve("prometheus-alerts.yml").toFile());
    List<String> expressions = new ArrayList<>();
    rules.findValues("expr").forEach(expr -> expressions.add(expr.asText()));
    assertThat(expressions).isNotEmpty();
    assertThat(assertKnownNames(expressions)).contains("dlq_depth");
  }

  private static Set<String> assertKnownNames(List<String> expressions) {
    Set<String> used = new TreeSet<>();
    for (String expression : expressions) {
      Set<String> names = new TreeSet<>();
      Matcher matcher = METRIC_NAME.matcher(expression);
      while (matcher.find()) {
        names.add(matcher.group());
      }
      assertThat(names).as("metrics in " + expression).isNotEmpty();
      used.addAll(names);
    }
    assertThat(PipelineMetrics.all()).as("PipelineMetrics").containsAll(used);
    return used;
  }
}
