package org.edapipeline.localstack;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where everything runs, for a person or a script to connect (the {@code --info} file).
 *
 * @param kafkaBootstrapServers Kafka
 * @param jdbcUrl the shop database (user {@code postgres}; any password is accepted)
 * @param postgresHost PostgreSQL host
 * @param postgresPort PostgreSQL port
 * @param database the shop database's name
 * @param user PostgreSQL user
 * @param registryUrl the schema registry
 * @param webUiUrl the Flink web UI and REST API
 * @param queryUrl the saga query service ({@code GET /sagas/{orderId}})
 * @param cdcHealthUrl the CDC source's health endpoint ({@code /metrics} beside it)
 * @param flinkMetricsUrl Flink's Prometheus endpoint (both jobs, JobManager and TaskManager)
 * @param dlqMetricsUrl the DLQ depth monitor's Prometheus endpoint
 * @param cdcMetricsUrl the CDC source's Prometheus endpoint
 */
public record StackInfo(
    String kafkaBootstrapServers,
    String jdbcUrl,
    String postgresHost,
    int postgresPort,
    String database,
    String user,
    String registryUrl,
    String webUiUrl,
    String queryUrl,
    String cdcHealthUrl,
    String flinkMetricsUrl,
    String dlqMetricsUrl,
    String cdcMetricsUrl) {

  /** The {@code psql} command line that opens the shop database. */
  public String psql() {
    return "psql -h " + postgresHost + " -p " + postgresPort + " -U " + user + " " + database;
  }

  /** As written to the {@code --info} file. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("kafka_bootstrap_servers", kafkaBootstrapServers);
    json.put("jdbc_url", jdbcUrl);
    json.put(
        "postgres",
        Map.of("host", postgresHost, "port", postgresPort, "database", database, "user", user));
    json.put("psql", psql());
    json.put("registry_url", registryUrl);
    json.put("web_ui_url", webUiUrl);
    json.put("query_url", queryUrl);
    json.put("cdc_health_url", cdcHealthUrl);
    json.put("flink_metrics_url", flinkMetricsUrl);
    json.put("dlq_metrics_url", dlqMetricsUrl);
    json.put("cdc_metrics_url", cdcMetricsUrl);
    return json;
  }
}
