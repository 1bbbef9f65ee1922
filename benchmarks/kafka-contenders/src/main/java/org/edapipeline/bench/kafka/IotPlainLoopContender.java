package org.edapipeline.bench.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.edapipeline.bench.contract.ContenderSpec;
import org.edapipeline.events.iot.SensorReadingRecorded;
import org.edapipeline.outputs.WindowAggregate;
import org.edapipeline.schemas.serde.TopicNameStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ceiling of the IoT tumbling suite: no framework, kafka-clients 4.2 only. One thread per input
 * partition ({@link PartitionLoop}), each with its own consumer ({@code assign}ed, group = {@code
 * run.id}, {@code read_committed}, from the earliest offset) and Avro decoder, aggregating
 * count/min/max/sum/mean per device, sensor and window in a hash map ({@link TumblingWindows}) and
 * sending each window once its partition's watermark (largest {@code measuredAt} seen minus {@code
 * out.of.orderness.ms}) passes its end; one shared idempotent producer ({@code acks=all}) writes
 * our job's {@code WindowAggregate} (Avro through the registry, key = device id).
 *
 * <p>At-least-once: every {@code commit.interval.ms} (default 100 ms, Kafka Streams' exactly-once
 * default) a partition flushes the producer and commits the offsets below its open windows. Late
 * readings (window already sent) and undecodable records are counted ({@code records.late}, {@code
 * records.skipped} in the metrics) and dropped. Tumbling windows only: {@code window=sliding} is
 * refused at start.
 *
 * <p>Usage: {@code java -cp … org.edapipeline.bench.kafka.IotPlainLoopContender <spec file>}.
 */
public final class IotPlainLoopContender implements Contender {

  private static final Logger LOG = LoggerFactory.getLogger(IotPlainLoopContender.class);

  /** Commit cadence when the spec gives none: Kafka Streams' default under exactly-once. */
  static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(100);

  private final IotSettings settings;
  private final Runnable onReady;
  private final RegistrySerdes serdes;
  private final KafkaProducer<String, WindowAggregate> producer;
  private final List<PartitionLoop> loops = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong late = new AtomicLong();

  /** Builds the contender; {@code onReady} runs just before the partitions are polled. */
  public IotPlainLoopContender(IotSettings settings, Runnable onReady) {
    if (settings.sliding()) {
      throw new IllegalArgumentException(
          "contender spec: the plain loop runs '" + ContenderSpec.WINDOW + "=tumbling' only");
    }
    this.settings = settings;
    this.onReady = onReady;
    this.serdes = new RegistrySerdes(settings.registryUrl());
    Properties producerProps = new Properties();
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
    producerProps.put(ProducerConfig.CLIENT_ID_CONFIG, settings.runId() + "-producer");
    this.producer =
        new KafkaProducer<>(
            producerProps,
            new StringSerializer(),
            serdes.<WindowAggregate>serializer(new TopicNameStrategy()));
    Duration commitInterval = settings.commitInterval().orElse(DEFAULT_COMMIT_INTERVAL);
    for (int p = 0; p < settings.partitions(); p++) {
      TopicPartition partition = new TopicPartition(settings.readingsTopic(), p);
      PartitionLoop loop =
          new PartitionLoop(
              new KafkaConsumer<>(
                  consumerProps(settings, p),
                  new StringDeserializer(),
                  new ByteArrayDeserializer()),
              partition,
              serdes.deserializer(SensorReadingRecorded.class),
              producer,
              settings.aggregatesTopic(),
              new TumblingWindows(
                  settings.windowSize().toMillis(), settings.outOfOrderness().toMillis()),
              commitInterval,
              skipped,
              late);
      loops.add(loop);
      threads.add(new Thread(loop, "plain-loop-" + partition));
    }
  }

  public static void main(String[] args) {
    Contender.main(args, (spec, ready) -> new IotPlainLoopContender(IotSettings.from(spec), ready));
  }

  private static Properties consumerProps(IotSettings settings, int partition) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.runId());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.runId() + "-consumer-" + partition);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return props;
  }

  @Override
  public void start() {
    onReady.run();
    threads.forEach(Thread::start);
  }

  @Override
  public Map<String, ? extends Number> metrics() {
    return Map.of("records.skipped", skipped.get(), "records.late", late.get());
  }

  @Override
  public void close() {
    loops.forEach(PartitionLoop::stop);
    for (Thread thread : threads) {
      try {
        thread.join(Duration.ofSeconds(30).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    producer.close(Duration.ofSeconds(10));
    serdes.close();
    LOG.info("plain loop closed: {} skipped, {} late", skipped.get(), late.get());
  }
}
