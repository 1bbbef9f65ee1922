package org.edapipeline.jobs.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.edapipeline.jobs.saga.SagaJobConfig;
import org.junit.jupiter.api.Test;

/**
 * SASL_SSL by configuration alone: every {@code --kafka.properties.*} key reaches the Kafka clients
 * (sources, sinks and the admin client of {@link TransactionTimeoutCheck} all take {@link
 * JobConfig#kafkaClientProperties()}), registry credentials reach the registry client, and neither
 * shows in the configuration's text.
 */
class JobConfigSecurityTest {

  private static final String JAAS =
      "org.apache.kafka.common.security.scram.ScramLoginModule required"
          + " username=\"flink\" password=\"kafka-pw-1\";";

  private static final String[] ARGS = {
    "--kafka.bootstrap-servers", "kafka:9093",
    "--schema-registry.url", "https://registry:8081",
    "--kafka.properties.security.protocol", "SASL_SSL",
    "--kafka.properties.sasl.mechanism", "SCRAM-SHA-512",
    "--kafka.properties.sasl.jaas.config", JAAS,
    "--kafka.properties.ssl.truststore.location", "/etc/kafka/truststore.p12",
    "--kafka.properties.ssl.truststore.password", "trust-pw-2",
    "--schema-registry.properties.basic.auth.user.info", "flink:registry-pw-3"
  };

  @Test
  void shouldPassSecuritySettingsToEveryKafkaClient() {
    JobConfig config = SagaJobConfig.parse(ARGS).common();

    assertThat(config.kafkaClientProperties())
        .containsEntry("bootstrap.servers", "kafka:9093")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("sasl.jaas.config", JAAS)
        .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.p12")
        .containsEntry("ssl.truststore.password", "trust-pw-2");
  }

  @Test
  void shouldNotShowAnySecretInItsText() {
    SagaJobConfig config = SagaJobConfig.parse(ARGS);

    assertThat(config.toString())
        .contains("security.protocol=SASL_SSL", "sasl.jaas.config=******")
        .doesNotContain("kafka-pw-1", "trust-pw-2", "registry-pw-3");
  }
}
