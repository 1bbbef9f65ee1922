package org.edapipeline.bench.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.edapipeline.bench.contract.ContenderSpec;
import org.edapipeline.jobs.common.CommonOptions.SinkGuarantee;
import org.edapipeline.jobs.common.CommonOptions.StartingOffsets;
import org.edapipeline.jobs.iot.IotJobConfig;
import org.junit.jupiter.api.Test;

class FlinkContenderSpecTest {

  private static Map<String, String> minimal() {
    Map<String, String> values = new HashMap<>();
    values.put(ContenderSpec.RUN_ID, "run-7");
    values.put(ContenderSpec.WORK_DIR, "/tmp/run-7");
    values.put(ContenderSpec.BOOTSTRAP_SERVERS, "localhost:9092");
    values.put(ContenderSpec.SCHEMA_REGISTRY_URL, "http://localhost:8081");
    values.put(ContenderSpec.INPUT_TOPICS, "iot.readings, iot.devices");
    values.put(ContenderSpec.OUTPUT_TOPICS, "iot.aggregates");
    values.put(ContenderSpec.PARTITIONS, "4");
    values.put(ContenderSpec.CHECKPOINT_INTERVAL_MS, "5000");
    return values;
  }

  @Test
  void shouldReadTheSpecWithOurJobsDefaults() {
    FlinkContenderSpec spec = FlinkContenderSpec.of(ContenderSpec.of(minimal()));
    assertThat(spec.parallelism()).isEqualTo(4);
    assertThat(spec.inputTopics()).containsExactly("iot.readings", "iot.devices");
    assertThat(spec.stateBackend()).isEqualTo(FlinkContenderSpec.StateBackend.ROCKSDB);
    assertThat(spec.delivery()).isEqualTo(FlinkContenderSpec.Delivery.EXACTLY_ONCE);
    assertThat(spec.window()).isEqualTo(FlinkContenderSpec.Window.TUMBLING);
    assertThat(spec.windowSize()).isEqualTo(Duration.ofMinutes(1));
    assertThat(spec.outOfOrderness()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void shouldFailFastNamingTheKey() {
    Map<String, String> missing = minimal();
    missing.remove(ContenderSpec.PARTITIONS);
    assertThatThrownBy(() -> FlinkContenderSpec.of(ContenderSpec.of(missing)))
        .hasMessageContaining("'partitions'");

    Map<String, String> badBackend = minimal();
    badBackend.put(ContenderSpec.STATE_BACKEND, "memory");
    assertThatThrownBy(() -> FlinkContenderSpec.of(ContenderSpec.of(badBackend)))
        .hasMessageContaining("'state.backend'")
        .hasMessageContaining("rocksdb");

    Map<String, String> zeroInterval = minimal();
    zeroInterval.put(ContenderSpec.CHECKPOINT_INTERVAL_MS, "0");
    assertThatThrownBy(() -> FlinkContenderSpec.of(ContenderSpec.of(zeroInterval)))
        .hasMessageContaining("'checkpoint.interval.ms'");

    FlinkContenderSpec spec = FlinkContenderSpec.of(ContenderSpec.of(minimal()));
    assertThatThrownBy(
            () ->
                spec.requireTopics(
                    ContenderSpec.OUTPUT_TOPICS, spec.outputTopics(), List.of("saga.state")))
        .hasMessageContaining("'output.topics'");
  }

  @Test
  void shouldConfigureOurIotJobThroughItsOwnOptions() {
    Map<String, String> values = minimal();
    values.put(ContenderSpec.DELIVERY, "at-least-once");
    values.put(ContenderSpec.WINDOW, "sliding");
    values.put(ContenderSpec.STATE_BACKEND, "hashmap");
    FlinkContenderSpec spec = FlinkContenderSpec.of(ContenderSpec.of(values));

    IotJobConfig config = IotJobConfig.parse(IotJobContender.arguments(spec));
    assertThat(config.common().groupId()).isEqualTo("run-7");
    assertThat(config.common().transactionalIdPrefix()).isEqualTo("run-7");
    assertThat(config.common().startingOffsets()).isEqualTo(StartingOffsets.EARLIEST);
    assertThat(config.common().sinkGuarantee()).isEqualTo(SinkGuarantee.AT_LEAST_ONCE);
    assertThat(config.common().parallelism()).isEqualTo(4);
    assertThat(config.common().checkpointInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.common().transactionTimeout())
        .isGreaterThan(
            config.common().checkpointInterval().plus(config.common().checkpointTimeout()));
    assertThat(config.slidingEnabled()).isTrue();
    assertThat(config.slidingSize()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.slidingSlide()).isEqualTo(Duration.ofMinutes(1));

    values.put(ContenderSpec.WINDOW, "tumbling");
    assertThat(
            IotJobConfig.parse(
                    IotJobContender.arguments(FlinkContenderSpec.of(ContenderSpec.of(values))))
                .slidingEnabled())
        .isFalse();
  }
}
