package org.edapipeline.bench.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.edapipeline.bench.contract.ContenderLifecycle;
import org.edapipeline.bench.contract.ContenderSpec;
import org.edapipeline.outputs.WindowAggregate;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.serde.AvroWireDeserializer;
import org.edapipeline.schemas.serde.TopicNameStrategy;
import org.junit.jupiter.api.Test;

/**
 * The process protocol, as the harness drives it: {@code java -cp target/classes:<classpath.txt>
 * <main> <spec file>} in the work directory prints the ready line, processes, and on SIGTERM leaves
 * its metrics file. Runs after {@code package}, which writes {@code target/classpath.txt}.
 */
class ContenderProcessITCase extends ContenderTestBase {

  @Test
  void shouldSignalReadyProcessAndLeaveMetricsOnSigterm() throws Exception {
    IotInput input = new IotInput(IotInput.WINDOW, PARTITIONS);
    long minute = IotInput.WINDOW.toMillis();
    int expected = input.expected("TUMBLING", minute, minute).size();
    recreate(Topics.IOT_READINGS, Topics.IOT_AGGREGATES);
    produce(
        Topics.IOT_READINGS,
        new TopicNameStrategy(),
        input.data.stream().map(r -> Map.entry(r.getDeviceId(), r)).toList(),
        List.of());
    produce(
        Topics.IOT_READINGS,
        new TopicNameStrategy(),
        input.sentinels.stream().map(r -> Map.entry(r.getDeviceId(), r)).toList(),
        List.of());
    ContenderSpec spec = spec(IotContenderTestBase.iotKeys("tumbling"));
    Path specFile = spec.workDir().resolve("spec.properties");
    spec.write(specFile);

    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp",
                contenderClasspath(),
                IotStreamsContender.class.getName(),
                specFile.toString())
            .directory(spec.workDir().toFile())
            .redirectErrorStream(true)
            .start();
    AtomicBoolean ready = new AtomicBoolean();
    Thread pump = new Thread(() -> pump(process, ready), "contender-output");
    pump.setDaemon(true);
    pump.start();
    try {
      await().atMost(OUTPUT_DEADLINE).untilTrue(ready);
      assertThat(
              readCommitted(
                  Topics.IOT_AGGREGATES,
                  AvroWireDeserializer.forSpecific(registryClient, WindowAggregate.class),
                  expected))
          .hasSize(expected);
    } finally {
      process.destroy(); // SIGTERM
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }

    Path metrics = spec.workDir().resolve(ContenderLifecycle.METRICS_FILE);
    assertThat(metrics).exists();
    Properties figures = new Properties();
    try (var reader = Files.newBufferedReader(metrics)) {
      figures.load(reader);
    }
    assertThat(Long.parseLong(figures.getProperty("state.size.bytes"))).isPositive();
    assertThat(spec.workDir().resolve("kafka-contender.log")).exists();
  }

  private static void pump(Process process, AtomicBoolean ready) {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.contains(ContenderLifecycle.READY_LINE)) {
          ready.set(true);
        }
      }
    } catch (java.io.IOException e) {
      // the process ended
    }
  }

  /** This module's classes and the jars Maven listed at package time, as the harness uses them. */
  private static String contenderClasspath() throws java.io.IOException {
    Path module = Path.of("").toAbsolutePath();
    return module.resolve("target/classes")
        + File.pathSeparator
        + Files.readString(module.resolve("target/classpath.txt")).trim();
  }
}
