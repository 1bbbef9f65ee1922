package org.edapipeline.jobs.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.edapipeline.jobs.saga.state.SagaSettings;
import org.junit.jupiter.api.Test;

class SagaOptionsTest {

  @Test
  void shouldUseTheDefaultsWhenNothingIsSet() {
    Configuration empty = new Configuration();

    assertThat(SagaOptions.settings(empty)).isEqualTo(SagaSettings.DEFAULTS);
    assertThat(SagaOptions.dedupeTtl(empty)).isEqualTo(Duration.ofDays(7));
  }

  @Test
  void shouldParseFlinkDurations() {
    Configuration config =
        Configuration.fromMap(
            Map.of(
                "saga.deadline.inventory", "30 s",
                "saga.deadline.payment", "2 min",
                "saga.deadline.delivery", "3 d",
                "saga.deadline.backlog-tolerance", "20 s",
                "saga.retry.max-attempts", "5"));

    SagaSettings settings = SagaOptions.settings(config);

    assertThat(settings.inventoryDeadline()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.paymentDeadline()).isEqualTo(Duration.ofMinutes(2));
    assertThat(settings.deliveryDeadline()).isEqualTo(Duration.ofDays(3));
    assertThat(settings.maxAttempts()).isEqualTo(5);
    assertThat(settings.backlogTolerance()).isEqualTo(Duration.ofSeconds(20));
    assertThat(settings.shipmentDeadline()).isEqualTo(SagaSettings.DEFAULTS.shipmentDeadline());
  }

  @Test
  void shouldFailFastNamingTheKeyOfABadValue() {
    assertBad("saga.deadline.payment", "0 s");
    assertBad("saga.deadline.compensation", "soon");
    assertBad("saga.retry.max-attempts", "0");
    assertBad("saga.deadline.backlog-tolerance", "-1 s");
    assertThatThrownBy(
            () ->
                SagaOptions.dedupeTtl(
                    Configuration.fromMap(
                        Map.of("saga.dedupe.ttl", "1 h", "saga.retention", "2 h"))))
        .isInstanceOf(IllegalConfigurationException.class)
        .hasMessageContaining("saga.dedupe.ttl")
        .hasMessageContaining("saga.retention");
  }

  private static void assertBad(String key, String value) {
    assertThatThrownBy(() -> SagaOptions.settings(Configuration.fromMap(Map.of(key, value))))
        .isInstanceOf(IllegalConfigurationException.class)
        .hasMessageContaining(key);
  }
}
