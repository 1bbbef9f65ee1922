package org.edapipeline.bench.kafka;

import java.util.Map;
import org.edapipeline.bench.contract.ContenderSpec;
import org.edapipeline.events.iot.SensorReadingRecorded;
import org.edapipeline.outputs.WindowAggregate;

/**
 * Kafka Streams 4.2 contender of the IoT suites ({@link IotStreamsTopology}): per device and
 * sensor, tumbling windows of {@code window.size.ms} (and, with {@code window=sliding}, 5-minute
 * hopping windows advancing by {@code window.slide.ms}), count/min/max/sum/mean in RocksDB window
 * stores, grace = {@code out.of.orderness.ms}, final results only ({@code
 * suppress(untilWindowCloses)}), written to the output topic as our job's {@code WindowAggregate}
 * (Avro through the registry, key = device id).
 *
 * <p>Configuration ({@link StreamsRunner}): {@code exactly_once_v2}, {@code application.id} =
 * {@code run.id}, {@code num.stream.threads} = min({@code partitions}, cores), {@code
 * commit.interval.ms} from the spec when present (else Kafka Streams' 100 ms under exactly-once),
 * state in the work directory, undecodable readings logged, counted ({@code dropped-records}) and
 * skipped. Input: {@code input.topics} = the readings topic; output: {@code output.topics} = the
 * aggregates topic.
 *
 * <p>Usage: {@code java -cp … org.edapipeline.bench.kafka.IotStreamsContender <spec file>}.
 */
public final class IotStreamsContender implements Contender {

  private final RegistrySerdes serdes;
  private final StreamsRunner runner;

  /** Builds the contender from its settings; {@code onReady} runs when processing starts. */
  public IotStreamsContender(IotSettings settings, Runnable onReady) {
    this.serdes = new RegistrySerdes(settings.registryUrl());
    this.runner =
        new StreamsRunner(
            IotStreamsTopology.build(
                settings,
                serdes.specific(SensorReadingRecorded.class),
                serdes.specific(WindowAggregate.class)),
            settings.runId(),
            settings.bootstrapServers(),
            settings.workDir(),
            settings.partitions(),
            settings.commitInterval(),
            onReady);
  }

  public static void main(String[] args) {
    Contender.main(args, (spec, ready) -> create(spec, ready));
  }

  static IotStreamsContender create(ContenderSpec spec, Runnable onReady) {
    return new IotStreamsContender(IotSettings.from(spec), onReady);
  }

  @Override
  public void start() {
    runner.start();
  }

  @Override
  public Map<String, ? extends Number> metrics() {
    return runner.metrics();
  }

  @Override
  public void close() {
    runner.close();
    serdes.close();
  }
}
