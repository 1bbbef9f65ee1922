package org.edapipeline.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.edapipeline.localstack.devices.DeviceSettings;
import org.edapipeline.localstack.flink.PipelineSettings;
import org.edapipeline.localstack.services.ServiceSettings;

/**
 * The local stack's configuration, typed and checked once ({@link LocalStackMain} parses the
 * command line into it; tests build it directly).
 *
 * @param duration how long to run; null to run until stopped (Ctrl-C)
 * @param simulators whether the simulated services and devices run ({@code --no-simulators} turns
 *     them off: the stack then waits for events from outside)
 * @param webPort Flink web UI and REST API; 0 for a free port
 * @param queryPort saga query service; 0 for a free port
 * @param flinkMetricsPort Flink's Prometheus reporter ({@code /metrics}); 0 for a free port
 * @param dlqMetricsPort the DLQ depth monitor's {@code /metrics}; 0 for a free port
 * @param kafkaPort Kafka; 0 for a free port
 * @param postgresPort PostgreSQL; 0 for a free port
 * @param summaryInterval how often the console summary is printed; zero for never
 * @param reportFile where the JSON report is written at exit; null for none
 * @param infoFile where the connection details are written once everything is ready; null for none
 */
public record LocalStackConfig(
    Duration duration,
    boolean simulators,
    int webPort,
    int queryPort,
    int flinkMetricsPort,
    int dlqMetricsPort,
    int kafkaPort,
    int postgresPort,
    Duration summaryInterval,
    Path reportFile,
    Path infoFile,
    PipelineSettings pipeline,
    ServiceSettings services,
    DeviceSettings devices) {

  public LocalStackConfig {
    Objects.requireNonNull(summaryInterval, "summaryInterval");
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(services, "services");
    Objects.requireNonNull(devices, "devices");
  }
}
