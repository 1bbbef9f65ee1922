package org.edapipeline.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.edapipeline.jobs.iot.IotAggregationJob;
import org.edapipeline.jobs.saga.SagaCorrelationJob;
import org.edapipeline.localstack.OutboxSqlCommand.EventType;
import org.edapipeline.localstack.flink.FlinkRest;
import org.edapipeline.localstack.metrics.PipelineMetrics;
import org.edapipeline.localstack.metrics.PrometheusText;
import org.edapipeline.localstack.summary.Summary;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The local stack end to end, in this JVM: with the simulators at high rates and short windows and
 * deadlines, every kind of outcome shows up in the report and in a scrape of its Prometheus
 * endpoints (Flink, CDC, DLQ depth), with every metric name the dashboard may use; both jobs run in
 * the web UI with named operators; and without simulators, an outbox row inserted with plain SQL
 * reaches the saga query service.
 */
class LocalStackITCase {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path directory;

  private static LocalStackConfig config(String... args) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "--web-port", "0",
                "--query-port", "0",
                "--flink-metrics-port", "0",
                "--dlq-metrics-port", "0",
                "--summary-interval", "5s",
                "--checkpoint-interval", "2s",
                "--parallelism", "2"));
    all.addAll(List.of(args));
    CommandLine commandLine = LocalStackMain.commandLine();
    commandLine.parseArgs(all.toArray(String[]::new));
    return commandLine.<LocalStackMain>getCommand().toConfig();
  }

  @Test
  void shouldProduceEveryOutcomeFromTheSimulatorsAndReportIt() throws Exception {
    Path report = directory.resolve("report.json");
    Path info = directory.resolve("info.json");
    LocalStackConfig config =
        config(
            "--report", report.toString(),
            "--info", info.toString(),
            "--order-rate", "10",
            "--payment-decline-rate", "0.1",
            "--shipment-failure-rate", "0.1",
            "--first-outage", "2s",
            "--outage-every", "11s",
            "--outage-duration", "8s",
            "--saga-deadline", "4s",
            "--compensation-deadline", "4s",
            "--devices", "8",
            "--reading-interval", "250ms",
            "--late-rate", "0.03",
            "--malformed-rate", "0.01",
            "--duplicate-rate", "0.02",
            "--silent-every", "8s",
            "--silent-for", "4s",
            "--window", "3s",
            "--allowed-lateness", "3s",
            "--out-of-orderness", "1s",
            "--idleness", "5s",
            "--alert-windows", "1");
    Summary last;
    try (LocalStack stack = LocalStack.start(config, System.out)) {
      JsonNode written = JSON.readTree(info.toFile());
      assertThat(written.path("kafka_bootstrap_servers").asText()).isNotBlank();
      assertThat(written.path("jdbc_url").asText()).startsWith("jdbc:postgresql://");
      assertThat(written.path("registry_url").asText()).startsWith("http://");
      assertThat(written.path("query_url").asText()).isEqualTo(stack.info().queryUrl());
      assertThat(written.path("flink_metrics_url").asText())
          .isEqualTo(stack.info().flinkMetricsUrl());
      String webUi = written.path("web_ui_url").asText();

      assertBothJobsRunWithNamedOperators(new FlinkRest(webUi));

      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofSeconds(3))
          .untilAsserted(
              () -> {
                Summary s = stack.snapshot();
                assertThat(s.ordersCompleted()).as("completed").isPositive();
                assertThat(s.ordersCompensated()).as("compensated").isPositive();
                assertThat(s.ordersTimedOut()).as("timed out").isPositive();
                assertThat(s.windows()).as("windows").isPositive();
                assertThat(s.alerts()).as("alerts").isPositive();
                assertThat(s.late()).as("late").isPositive();
                assertThat(s.dlqTotal()).as("dlq").isPositive();
                assertThat(s.checkpointsCompleted()).as("checkpoints").isPositive();
              });
      assertMetricsScrapedWhileRunning(written);
      Summary now = stack.snapshot();
      assertThat(now.cdcPublished()).as("cdc published").isPositive();
      assertThat(now.cdcSlotLagBytes()).as("slot lag").isNotNegative();
      assertThat(now.pendingByJob())
          .containsOnlyKeys(SagaCorrelationJob.JOB_NAME, IotAggregationJob.JOB_NAME);
    }
    JsonNode written = JSON.readTree(report.toFile());
    for (String path :
        List.of(
            "/orders/placed",
            "/orders/completed",
            "/orders/compensated",
            "/orders/timed_out",
            "/iot/readings",
            "/iot/windows",
            "/iot/late",
            "/iot/alerts",
            "/dlq/total",
            "/checkpoints/completed")) {
      assertThat(written.at(path).asLong()).as(path).isPositive();
    }
    assertThat(written.at("/duplicates_dropped").isNumber()).isTrue();
    assertThat(written.at("/cdc/published").asLong()).isPositive();
    assertThat(written.at("/throughput/in_per_second").isNumber()).isTrue();
    assertThat(written.at("/pending_records").isObject()).isTrue();
    assertThat(written.at("/orders/placed").asLong())
        .isGreaterThanOrEqualTo(
            written.at("/orders/completed").asLong() + written.at("/orders/compensated").asLong());
  }

  /**
   * Issue 10's "done when": scraping the stack's metrics endpoints during a run shows non-zero
   * throughput, DLQ depth and saga outcomes, and every name of {@link PipelineMetrics} (lag ones
   * included) exists.
   */
  private static void assertMetricsScrapedWhileRunning(JsonNode info) {
    String flinkUrl = info.path("flink_metrics_url").asText();
    String dlqUrl = info.path("dlq_metrics_url").asText();
    String cdcUrl = info.path("cdc_metrics_url").asText();
    assertThat(List.of(flinkUrl, dlqUrl, cdcUrl)).allMatch(url -> url.endsWith("/metrics"));
    String operator = "flink_taskmanager_job_task_operator_";
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              PrometheusText flink = PrometheusText.scrape(flinkUrl);
              PrometheusText dlq = PrometheusText.scrape(dlqUrl);
              PrometheusText cdc = PrometheusText.scrape(cdcUrl);
              assertThat(flink.names()).containsAll(PipelineMetrics.FLINK.keySet());
              assertThat(cdc.names()).containsAll(PipelineMetrics.CDC.keySet());
              assertThat(dlq.names()).containsAll(PipelineMetrics.DLQ.keySet());

              assertThat(flink.sum(operator + "numRecordsIn")).as("records in").isPositive();
              assertThat(flink.sum(operator + "numRecordsOut")).as("records out").isPositive();
              assertThat(flink.sum(operator + "sagasCompleted")).as("completed").isPositive();
              assertThat(flink.sum(operator + "sagasTimedOut")).as("timed out").isPositive();
              assertThat(flink.sum(operator + "tumblingWindowsFired")).as("windows").isPositive();
              assertThat(flink.sum(operator + "dlq_category_numDeadLetters"))
                  .as("dead letters")
                  .isPositive();
              assertThat(flink.sum("flink_jobmanager_job_numberOfCompletedCheckpoints"))
                  .isPositive();
              // The labels the dashboard's queries group and join by.
              assertThat(flink.samples(operator + "pendingRecords"))
                  .allMatch(s -> hasLabels(s, "job_name", "operator_id", "subtask_index"));
              assertThat(
                      flink.samples(operator + "KafkaSourceReader_topic_partition_currentOffset"))
                  .allMatch(s -> hasLabels(s, "topic", "partition"));
              assertThat(flink.samples(operator + "dlq_category_numDeadLetters"))
                  .allMatch(s -> hasLabels(s, "dlq", "category"));
              assertThat(flink.samples(operator + "sagaDurationMillis"))
                  .anyMatch(s -> s.labels().contains("quantile=\"0.95\""));
              assertThat(dlq.sum("dlq_depth")).as("dlq depth").isPositive();
              assertThat(cdc.sum("cdc_events_published_total")).as("cdc published").isPositive();
              assertThat(cdc.sum("cdc_replication_slot_lag_bytes")).isNotNegative();
            });
  }

  private static boolean hasLabels(PrometheusText.Sample sample, String... labels) {
    for (String label : labels) {
      if (!sample.labels().contains(label + "=\"")) {
        return false;
      }
    }
    return true;
  }

  private static void assertBothJobsRunWithNamedOperators(FlinkRest rest) throws Exception {
    List<FlinkRest.JobOverview> jobs = rest.jobs();
    assertThat(jobs)
        .extracting(FlinkRest.JobOverview::name)
        .containsExactlyInAnyOrder(SagaCorrelationJob.JOB_NAME, IotAggregationJob.JOB_NAME);
    assertThat(jobs).allMatch(FlinkRest.JobOverview::fullyRunning, "RUNNING with every task");
    for (FlinkRest.JobOverview job : jobs) {
      String operators = String.join(" | ", rest.vertexNames(job.id()));
      if (job.name().equals(SagaCorrelationJob.JOB_NAME)) {
        assertThat(operators)
            .contains(SagaCorrelationJob.ORDERS.source().name())
            .contains(SagaCorrelationJob.CORRELATION.name())
            .contains(SagaCorrelationJob.STATE_SINK.name());
      } else {
        assertThat(operators)
            .contains(IotAggregationJob.READINGS_SOURCE.name())
            .contains(IotAggregationJob.TUMBLING.name())
            .contains(IotAggregationJob.ALERTS_SINK.name());
      }
    }
  }

  @Test
  void shouldServeASagaWhoseEventsWereInsertedIntoTheOutboxByHand() throws Exception {
    Path info = directory.resolve("info.json");
    try (LocalStack stack =
        LocalStack.start(config("--no-simulators", "--info", info.toString()), System.out)) {
      JsonNode written = JSON.readTree(info.toFile());
      String orderId = "order-by-hand-1";
      try (SchemaRegistryClient registry =
              new RestSchemaRegistryClient(
                  SchemaRegistryClientConfig.builder(written.path("registry_url").asText())
                      .build());
          Connection psql =
              DriverManager.getConnection(written.path("jdbc_url").asText(), "postgres", "");
          Statement statement = psql.createStatement()) {
        statement.execute(
            OutboxSqlCommand.insert(
                registry, OutboxSqlCommand.build(EventType.OrderPlaced, orderId)));
        URI saga = URI.create(written.path("query_url").asText() + "/sagas/" + orderId);
        await()
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(250))
            .untilAsserted(() -> assertThat(status(saga)).isEqualTo("STARTED"));

        statement.execute(
            OutboxSqlCommand.insert(
                registry, OutboxSqlCommand.build(EventType.InventoryReserved, orderId)));
        await()
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(250))
            .untilAsserted(() -> assertThat(status(saga)).isEqualTo("INVENTORY_RESERVED"));
      }
      assertThat(stack.snapshot().ordersPlaced()).isEqualTo(1);
    }
  }

  private static String status(URI saga) throws Exception {
    HttpResponse<String> response =
        HTTP.send(HttpRequest.newBuilder(saga).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      return "HTTP " + response.statusCode();
    }
    return JSON.readTree(response.body()).path("status").asText();
  }
}
