package org.edapipeline.jobs.common;

import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.edapipeline.schemas.trace.Tracing;

/**
 * Options of the OpenTelemetry spans a job exports, named like OpenTelemetry's own settings ({@code
 * OTEL_EXPORTER_OTLP_ENDPOINT}, {@code OTEL_SERVICE_NAME}). Without an endpoint, tracing is off and
 * costs nothing: no SDK is created. The {@code traceparent} headers are written either way.
 */
public final class TracingOptions {

  public static final ConfigOption<String> OTLP_ENDPOINT =
      ConfigOptions.key("otel.exporter.otlp.endpoint")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "OTLP/HTTP base URL spans are exported to, e.g. http://otel-collector:4318"
                  + " (v1/traces is appended). Default: none, tracing off.");

  public static final ConfigOption<String> SERVICE_NAME =
      ConfigOptions.key("otel.service.name")
          .stringType()
          .noDefaultValue()
          .withDescription("service.name of the exported spans. Default: the job's name.");

  private static final List<ConfigOption<?>> ALL = List.of(OTLP_ENDPOINT, SERVICE_NAME);

  private TracingOptions() {}

  /** Every tracing option. */
  public static List<ConfigOption<?>> all() {
    return ALL;
  }

  /**
   * The tracing these options configure.
   *
   * @throws JobConfigurationException naming the key of an invalid endpoint or a blank name
   */
  public static TracingFactory factory(ReadableConfig config, String jobName) {
    String endpoint = config.getOptional(OTLP_ENDPOINT).map(String::strip).orElse("");
    if (endpoint.isEmpty()) {
      return TracingFactory.disabled();
    }
    try {
      Tracing.tracesUrl(endpoint);
    } catch (IllegalArgumentException e) {
      throw new JobConfigurationException("--" + OTLP_ENDPOINT.key() + ": " + e.getMessage(), e);
    }
    String serviceName = config.getOptional(SERVICE_NAME).orElse(jobName).strip();
    if (serviceName.isEmpty()) {
      throw new JobConfigurationException("--" + SERVICE_NAME.key() + ": must not be blank");
    }
    return TracingFactory.otlp(endpoint, serviceName);
  }
}
