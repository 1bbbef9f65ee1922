package org.edapipeline.jobs.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.edapipeline.jobs.iot.IotJobConfig;
import org.junit.jupiter.api.Test;

class JobArgumentsTest {

  private static final String[] REQUIRED = {
    "--kafka.bootstrap-servers", "broker:9092", "--schema-registry.url", "http://registry:8081"
  };

  @Test
  void shouldParseTypedOptionsWithDefaultsAndPassThroughProperties() {
    IotJobConfig config =
        IotJobConfig.parse(
            concat(
                REQUIRED,
                "--checkpoint.interval",
                "30 s",
                "--kafka.properties.security.protocol",
                "SASL_SSL",
                "--iot.window.size",
                "2 min",
                "--iot.sliding.size",
                "10 min",
                "--iot.sliding.slide",
                "2 min"));

    assertThat(config.common().checkpointInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.common().transactionTimeout()).isEqualTo(Duration.ofMinutes(15));
    assertThat(config.common().groupId()).isEqualTo("iot-aggregation");
    assertThat(config.common().kafkaClientProperties())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("bootstrap.servers", "broker:9092");
    assertThat(config.windowSize()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void shouldWriteExactlyOnceUnlessAtLeastOnceIsAsked() {
    JobConfig byDefault = IotJobConfig.parse(REQUIRED).common();
    assertThat(byDefault.sinkGuarantee()).isEqualTo(CommonOptions.SinkGuarantee.EXACTLY_ONCE);
    assertThat(KafkaSinks.deliveryGuarantee(byDefault)).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);

    JobConfig atLeastOnce =
        IotJobConfig.parse(concat(REQUIRED, "--kafka.sink-guarantee", "AT_LEAST_ONCE")).common();
    assertThat(KafkaSinks.deliveryGuarantee(atLeastOnce))
        .isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
    assertThat(KafkaSinks.deliveryGuarantee(atLeastOnce.withInstanceName("run-1")))
        .isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);

    assertThatThrownBy(() -> IotJobConfig.parse(concat(REQUIRED, "--kafka.sink-guarantee", "NONE")))
        .isInstanceOf(JobConfigurationException.class)
        .hasMessageContaining("--kafka.sink-guarantee");
  }

  @Test
  void shouldRestartWithExponentialDelayOrNotAtAll() {
    Configuration flink = new Configuration();
    JobEnvironment.applyProductionRestartStrategy(
        flink, IotJobConfig.parse(concat(REQUIRED, "--restart.attempts", "3")).common());
    assertThat(flink.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("exponential-delay");
    assertThat(flink.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS))
        .isEqualTo(3);

    // Flink's exponential-delay strategy refuses 0 attempts only once the job is submitted.
    JobEnvironment.applyProductionRestartStrategy(
        flink, IotJobConfig.parse(concat(REQUIRED, "--restart.attempts", "0")).common());
    assertThat(flink.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("none");
  }

  @Test
  void shouldFailFastNamingTheKey() {
    assertThatThrownBy(() -> IotJobConfig.parse(concat(REQUIRED, "--checkpoint.intervall", "1 s")))
        .isInstanceOf(JobConfigurationException.class)
        .hasMessageContaining("--checkpoint.intervall");
    assertThatThrownBy(() -> IotJobConfig.parse(concat(REQUIRED, "--parallelism", "two")))
        .hasMessageContaining("--parallelism");
    assertThatThrownBy(() -> IotJobConfig.parse(new String[] {"--schema-registry.url", "http://r"}))
        .hasMessageContaining("--kafka.bootstrap-servers");
    assertThatThrownBy(() -> IotJobConfig.parse(concat(REQUIRED, "--iot.sliding.size", "90 s")))
        .hasMessageContaining("--iot.sliding.size");
    assertThatThrownBy(() -> IotJobConfig.parse(concat(REQUIRED, "--dedupe.ttl")))
        .hasMessageContaining("--dedupe.ttl");
  }

  @Test
  void shouldRejectATransactionTimeoutTheBrokerOrTheCheckpointsCannotHonour() {
    assertThatThrownBy(
            () ->
                TransactionTimeoutCheck.check(
                    Duration.ofHours(1),
                    Duration.ofSeconds(10),
                    Duration.ofMinutes(5),
                    Duration.ofMinutes(15)))
        .hasMessageContaining("transaction.timeout.ms")
        .hasMessageContaining("transaction.max.timeout.ms");
    assertThatThrownBy(
            () ->
                TransactionTimeoutCheck.check(
                    Duration.ofMinutes(1),
                    Duration.ofMinutes(1),
                    Duration.ofMinutes(5),
                    Duration.ofMinutes(15)))
        .hasMessageContaining("--checkpoint.interval");
    TransactionTimeoutCheck.check(
        Duration.ofMinutes(15),
        Duration.ofSeconds(10),
        Duration.ofMinutes(5),
        Duration.ofMinutes(15));
  }

  private static String[] concat(String[] first, String... more) {
    String[] all = new String[first.length + more.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }
}
