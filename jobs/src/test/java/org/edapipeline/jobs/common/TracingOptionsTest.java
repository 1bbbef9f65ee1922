package org.edapipeline.jobs.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.configuration.Configuration;
import org.edapipeline.schemas.trace.Tracing;
import org.junit.jupiter.api.Test;

class TracingOptionsTest {

  @Test
  void shouldBeOffWithoutAnEndpoint() {
    Tracing tracing = TracingOptions.factory(new Configuration(), "job").open();

    assertThat(tracing.enabled()).isFalse();
  }

  @Test
  void shouldExportWhenAnEndpointIsGiven() {
    Configuration config = new Configuration();
    config.set(TracingOptions.OTLP_ENDPOINT, "http://127.0.0.1:4318");

    try (Tracing tracing = TracingOptions.factory(config, "job").open()) {
      assertThat(tracing.enabled()).isTrue();
    }
  }

  @Test
  void shouldFailAtStartNamingTheKeyOfABadValue() {
    Configuration badUrl = new Configuration();
    badUrl.set(TracingOptions.OTLP_ENDPOINT, "collector:4318");
    Configuration blankName = new Configuration();
    blankName.set(TracingOptions.OTLP_ENDPOINT, "http://collector:4318");
    blankName.set(TracingOptions.SERVICE_NAME, " ");

    assertThatThrownBy(() -> TracingOptions.factory(badUrl, "job"))
        .isInstanceOf(JobConfigurationException.class)
        .hasMessageStartingWith("--otel.exporter.otlp.endpoint:");
    assertThatThrownBy(() -> TracingOptions.factory(blankName, "job"))
        .isInstanceOf(JobConfigurationException.class)
        .hasMessageStartingWith("--otel.service.name:");
  }
}
