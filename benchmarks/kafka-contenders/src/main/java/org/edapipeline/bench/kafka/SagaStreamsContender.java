package org.edapipeline.bench.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.edapipeline.bench.contract.ContenderSpec;
import org.edapipeline.bench.kafka.saga.SagaDeadlines;
import org.edapipeline.bench.kafka.saga.SagaSettings;
import org.edapipeline.bench.kafka.saga.SagaStreamsTopology;
import org.edapipeline.outputs.SagaStateChanged;
import org.edapipeline.schemas.serde.TopicRecordNameStrategy;

/**
 * Kafka Streams 4.2 contender of the saga suite ({@link SagaStreamsTopology}): the order saga's
 * rules as our saga job applies them (same statuses, history, ids, commands and headers for the
 * same input, any arrival order, duplicates ignored), as a Processor API step keyed by order id
 * with the saga state in a RocksDB key-value store and deadlines on a wall-clock punctuator over a
 * wake-up store. Deadlines, retention and retry budget are our job's defaults.
 *
 * <p>Configuration ({@link StreamsRunner}): {@code exactly_once_v2}, {@code application.id} =
 * {@code run.id}, {@code num.stream.threads} = min({@code partitions}, cores), {@code
 * commit.interval.ms} from the spec when present (else Kafka Streams' 100 ms under exactly-once),
 * state in the work directory, undecodable records logged, counted ({@code dropped-records}) and
 * skipped. Input: {@code input.topics} = the four {@code *.events} topics; output: {@code
 * output.topics} = the saga's state and commands topics. Metrics: {@code records.not.saga.events},
 * {@code records.unreported} (what our job would dead-letter), {@code state.size.bytes}.
 *
 * <p>Usage: {@code java -cp … org.edapipeline.bench.kafka.SagaStreamsContender <spec file>}.
 */
public final class SagaStreamsContender implements Contender {

  private final RegistrySerdes serdes;
  private final StreamsRunner runner;
  private final AtomicLong notSagaEvents = new AtomicLong();
  private final AtomicLong unreported = new AtomicLong();

  /** Builds the contender with our job's deadlines; {@code onReady} runs when processing starts. */
  public SagaStreamsContender(SagaSettings settings, Runnable onReady) {
    this(settings, SagaDeadlines.DEFAULTS, onReady);
  }

  SagaStreamsContender(SagaSettings settings, SagaDeadlines deadlines, Runnable onReady) {
    this.serdes = new RegistrySerdes(settings.registryUrl());
    this.runner =
        new StreamsRunner(
            SagaStreamsTopology.build(
                settings,
                deadlines,
                serdes.byWriterName(new TopicRecordNameStrategy()),
                serdes.specific(SagaStateChanged.class),
                serdes.byWriterName(new TopicRecordNameStrategy()),
                notSagaEvents,
                unreported),
            settings.runId(),
            settings.bootstrapServers(),
            settings.workDir(),
            settings.partitions(),
            settings.commitInterval(),
            onReady);
  }

  public static void main(String[] args) {
    Contender.main(args, SagaStreamsContender::create);
  }

  static SagaStreamsContender create(ContenderSpec spec, Runnable onReady) {
    return new SagaStreamsContender(SagaSettings.from(spec), onReady);
  }

  @Override
  public void start() {
    runner.start();
  }

  @Override
  public Map<String, ? extends Number> metrics() {
    Map<String, Long> metrics = new HashMap<>(runner.metrics());
    metrics.put("records.not.saga.events", notSagaEvents.get());
    metrics.put("records.unreported", unreported.get());
    return metrics;
  }

  @Override
  public void close() {
    runner.close();
    serdes.close();
  }
}
