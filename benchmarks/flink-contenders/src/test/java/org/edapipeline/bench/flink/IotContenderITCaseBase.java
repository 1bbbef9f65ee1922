package org.edapipeline.bench.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.edapipeline.bench.contract.ContenderSpec;
import org.edapipeline.embedded.junit.KafkaExtension;
import org.edapipeline.embedded.junit.SchemaRegistryExtension;
import org.edapipeline.outputs.WindowAggregate;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the IoT contenders' tests share: real Kafka and registry, the {@link IotBenchInput}, a
 * contender run in a JVM of its own from a spec as the harness writes it, and the check that its
 * committed aggregates are exactly the expected ones and that it left its checkpoint figures.
 */
abstract class IotContenderITCaseBase {

  @RegisterExtension
  @Order(1)
  static final KafkaExtension KAFKA = new KafkaExtension();

  @RegisterExtension
  @Order(2)
  static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension(KAFKA);

  static final Duration READY = Duration.ofSeconds(120);
  static final Duration OUTPUTS = Duration.ofSeconds(120);

  static SchemaRegistryClient registry;

  @TempDir Path workDirs;

  @BeforeAll
  static void connectRegistry() {
    registry =
        new RestSchemaRegistryClient(SchemaRegistryClientConfig.builder(REGISTRY.url()).build());
  }

  @AfterAll
  static void closeRegistry() {
    registry.close();
  }

  /** The spec the harness would write for an IoT run. */
  ContenderSpec spec(String runId, Map<String, String> extra) {
    Map<String, String> values = new HashMap<>();
    values.put(ContenderSpec.CONTENDER, runId);
    values.put(ContenderSpec.RUN_ID, runId);
    values.put(ContenderSpec.WORK_DIR, workDirs.resolve(runId).toString());
    values.put(ContenderSpec.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers());
    values.put(ContenderSpec.SCHEMA_REGISTRY_URL, REGISTRY.url());
    values.put(
        ContenderSpec.INPUT_TOPICS, Topics.IOT_READINGS.name() + "," + Topics.IOT_DEVICES.name());
    values.put(ContenderSpec.OUTPUT_TOPICS, Topics.IOT_AGGREGATES.name());
    values.put(ContenderSpec.PARTITIONS, Integer.toString(IotBenchInput.PARTITIONS));
    values.put(ContenderSpec.WINDOW_SIZE_MS, Long.toString(IotBenchInput.WINDOW.toMillis()));
    values.put(ContenderSpec.WINDOW_SLIDE_MS, Long.toString(IotBenchInput.WINDOW.toMillis()));
    values.put(ContenderSpec.OUT_OF_ORDERNESS_MS, Long.toString(IotBenchInput.BOUND.toMillis()));
    values.put(ContenderSpec.CHECKPOINT_INTERVAL_MS, "1000");
    values.putAll(extra);
    return ContenderSpec.of(values);
  }

  /**
   * Loads the input, runs {@code main} on {@code spec} until the expected aggregates are committed,
   * stops it with SIGTERM, and returns what it wrote; checks the metrics file.
   */
  List<WindowAggregate> run(Class<?> main, ContenderSpec spec, boolean sliding) throws Exception {
    IotBenchInput.createTopics(KAFKA);
    IotBenchInput input = new IotBenchInput();
    input.load(KAFKA, registry, sliding);
    int expected = input.expected(sliding).size();
    long started = System.nanoTime();
    try (ContenderJvm contender = ContenderJvm.start(main, spec)) {
      contender.awaitReady(READY);
      long ready = System.nanoTime();
      List<WindowAggregate> written =
          CommittedOutput.read(
              KAFKA,
              Topics.IOT_AGGREGATES.name(),
              CommittedOutput.decoder(registry, WindowAggregate.class),
              expected,
              OUTPUTS,
              Duration.ofSeconds(3));
      long outputs = System.nanoTime();
      assertThat(contender.isAlive()).as("still running after its outputs").isTrue();
      Map<String, String> metrics = contender.stop();
      // For the record (failsafe keeps it): what a smoke run of this contender looks like.
      System.out.printf(
          "%s: ready after %d ms, outputs %d ms after ready (+3 s linger), metrics %s%n",
          spec.get(ContenderSpec.RUN_ID),
          (ready - started) / 1_000_000,
          (outputs - ready) / 1_000_000,
          metrics);
      assertThat(metrics)
          .containsKeys(
              "checkpoint.count",
              "checkpoint.duration.p50.ms",
              "checkpoint.duration.max.ms",
              "checkpoint.size.bytes",
              "state.size.bytes");
      assertThat(Long.parseLong(metrics.get("checkpoint.count"))).isPositive();
      assertThat(Long.parseLong(metrics.get("state.size.bytes"))).isPositive();
      assertThat(contender.output()).contains("BENCH-CONTENDER-READY");
      assertThat(written)
          .extracting(IotContenderITCaseBase::withoutP95)
          .containsExactlyInAnyOrderElementsOf(input.expected(sliding));
      return written;
    }
  }

  /** The part of an aggregate every contender computes. */
  static IotBenchInput.Aggregate withoutP95(WindowAggregate a) {
    assertThat(a.getSensorType()).isEqualTo(IotBenchInput.SENSOR);
    assertThat(a.getUnit()).isEqualTo(IotBenchInput.UNIT);
    assertThat(a.getRevision()).isZero();
    assertThat(a.getMean())
        .isCloseTo(a.getSum() / a.getCount(), org.assertj.core.api.Assertions.within(1e-9));
    return new IotBenchInput.Aggregate(
        a.getWindowKind().name(),
        a.getDeviceId(),
        a.getWindowStart(),
        a.getWindowEnd(),
        a.getCount(),
        a.getMin(),
        a.getMax(),
        a.getSum());
  }
}
