package org.edapipeline.faults;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.edapipeline.outputs.SagaStateChanged;
import org.edapipeline.outputs.SagaStatus;
import org.edapipeline.outputs.WindowAggregate;
import org.edapipeline.outputs.WindowKind;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.serde.AvroWireDeserializer;

/**
 * Reads every output topic of the pipeline from the beginning with {@code read_committed}, in a
 * thread of its own for the whole suite, and files what it reads under the run that wrote it (the
 * prefix of the record's key: order id, device id). Only committed records count, as for any
 * downstream consumer of exactly-once outputs.
 */
final class OutputCollector implements AutoCloseable {

  /** What the pipeline wrote for one run. */
  static final class RunOutputs {
    /** Statuses per order, in the order read (one partition per order: the order written). */
    final Map<String, List<SagaStatus>> statuses = new HashMap<>();

    /**
     * When the collector first read each status of each order ({@code order:STATUS}, wall-clock
     * millis): when it became visible to a read_committed consumer, give or take a poll.
     */
    final Map<String, Long> statusSeenAt = new HashMap<>();

    /** Occurrences per compensation command id, and commands per order. */
    final Map<String, Integer> commandIds = new HashMap<>();

    final Map<String, Integer> commandsPerOrder = new HashMap<>();

    /** Occurrences per tumbling result (device, window start, revision). */
    final Map<String, Integer> tumblingResults = new HashMap<>();

    /** Count of the highest revision per tumbling window (device, window start). */
    final Map<Workload.WindowKey, long[]> latestWindowCounts = new HashMap<>();

    /** Records per output topic. */
    final Map<String, Long> perTopic = new TreeMap<>();

    /** Keys of the dead letters, per DLQ topic. */
    final Map<String, List<String>> deadLetters = new TreeMap<>();

    private RunOutputs copy() {
      RunOutputs copy = new RunOutputs();
      statuses.forEach((k, v) -> copy.statuses.put(k, List.copyOf(v)));
      copy.statusSeenAt.putAll(statusSeenAt);
      copy.commandIds.putAll(commandIds);
      copy.commandsPerOrder.putAll(commandsPerOrder);
      copy.tumblingResults.putAll(tumblingResults);
      latestWindowCounts.forEach((k, v) -> copy.latestWindowCounts.put(k, v.clone()));
      copy.perTopic.putAll(perTopic);
      deadLetters.forEach((k, v) -> copy.deadLetters.put(k, List.copyOf(v)));
      return copy;
    }

    long deadLetterCount() {
      return deadLetters.values().stream().mapToLong(List::size).sum();
    }
  }

  private final KafkaConsumer<String, byte[]> consumer;
  private final AvroWireDeserializer<SagaStateChanged> states;
  private final AvroWireDeserializer<WindowAggregate> aggregates;
  private final Map<String, RunOutputs> runs = new HashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private volatile RuntimeException failure;
  private volatile long caughtUp = Long.MIN_VALUE;

  OutputCollector(Map<String, Object> kafka, SchemaRegistryClient registry, List<String> topics) {
    Map<String, Object> config = new HashMap<>(kafka);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.consumer = new KafkaConsumer<>(config);
    this.states = AvroWireDeserializer.forSpecific(registry, SagaStateChanged.class);
    this.aggregates = AvroWireDeserializer.forSpecific(registry, WindowAggregate.class);
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      consumer
          .partitionsFor(topic)
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    this.thread = new Thread(this::run, "fault-output-collector");
    thread.setDaemon(true);
    thread.start();
  }

  /** The output topics of both jobs, dead-letter queues included. */
  static List<String> outputTopics() {
    List<String> topics = new ArrayList<>();
    for (Topic<?, ?> topic :
        List.of(
            Topics.SAGA_STATE,
            Topics.SAGA_COMMANDS,
            Topics.IOT_AGGREGATES,
            Topics.IOT_ALERTS,
            Topics.IOT_LATE)) {
      topics.add(topic.name());
    }
    for (Topic<?, ?> topic : Topics.all()) {
      if (topic.name().endsWith(".dlq")) {
        topics.add(topic.name());
      }
    }
    return topics;
  }

  /** A copy of what was read so far for {@code run}. */
  RunOutputs snapshot(String run) {
    if (failure != null) {
      throw failure;
    }
    synchronized (runs) {
      RunOutputs outputs = runs.get(run);
      return outputs == null ? new RunOutputs() : outputs.copy();
    }
  }

  /**
   * When the collector last found itself at the end of every output partition (the last stable
   * offsets, as read_committed sees them), in {@link System#nanoTime()}; {@code Long.MIN_VALUE}
   * before.
   */
  long caughtUpAtNanos() {
    return caughtUp;
  }

  private void run() {
    try {
      while (running.get()) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          file(record);
        }
        checkCaughtUp();
      }
    } catch (org.apache.kafka.common.errors.WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      failure = e;
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void checkCaughtUp() {
    long now = System.nanoTime();
    try {
      Map<TopicPartition, Long> ends =
          consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(5));
      for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
        if (consumer.position(end.getKey(), Duration.ofSeconds(5)) < end.getValue()) {
          return;
        }
      }
      caughtUp = now;
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      // the broker is away: not caught up
    }
  }

  private void file(ConsumerRecord<String, byte[]> record) {
    String key = record.key() == null ? "" : record.key();
    String topic = record.topic();
    synchronized (runs) {
      RunOutputs run = runs.computeIfAbsent(runOf(key), r -> new RunOutputs());
      run.perTopic.merge(topic, 1L, Long::sum);
      if (topic.equals(Topics.SAGA_STATE.name())) {
        SagaStateChanged changed = states.decode(record.value());
        run.statuses
            .computeIfAbsent(changed.getOrderId(), o -> new ArrayList<>())
            .add(changed.getStatus());
        run.statusSeenAt.putIfAbsent(
            changed.getOrderId() + ":" + changed.getStatus(), System.currentTimeMillis());
      } else if (topic.equals(Topics.SAGA_COMMANDS.name())) {
        run.commandIds.merge(header(record, "eventId"), 1, Integer::sum);
        run.commandsPerOrder.merge(key, 1, Integer::sum);
      } else if (topic.equals(Topics.IOT_AGGREGATES.name())) {
        WindowAggregate aggregate = aggregates.decode(record.value());
        if (aggregate.getWindowKind() == WindowKind.TUMBLING) {
          long start = aggregate.getWindowStart().toEpochMilli();
          run.tumblingResults.merge(
              aggregate.getDeviceId() + "@" + start + "#" + aggregate.getRevision(),
              1,
              Integer::sum);
          long[] latest =
              run.latestWindowCounts.computeIfAbsent(
                  new Workload.WindowKey(aggregate.getDeviceId(), start), k -> new long[] {-1, 0});
          if (aggregate.getRevision() > latest[0]) {
            latest[0] = aggregate.getRevision();
            latest[1] = aggregate.getCount();
          }
        }
      } else if (topic.endsWith(".dlq")) {
        run.deadLetters.computeIfAbsent(topic, t -> new ArrayList<>()).add(key);
      }
    }
  }

  /** Run names have no '-': a key's run is what comes before its first '-'. */
  static String runOf(String key) {
    int dash = key.indexOf('-');
    return dash < 0 ? key : key.substring(0, dash);
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null
        ? "(no " + name + " header)"
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    consumer.wakeup();
    thread.join(10_000);
  }
}
