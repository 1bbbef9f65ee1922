package org.edapipeline.bench.harness;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a run's output topics with {@code isolation.level=read_committed} from the beginning (no
 * group: partitions assigned, nothing committed) and feeds every record to a {@link Completion}
 * until it is complete, the deadline passes, or the contender dies.
 *
 * <p>Open it before the contender starts, so the consumer's own start is not charged to the run.
 */
public final class OutputCounter implements AutoCloseable {

  private final KafkaConsumer<byte[], byte[]> consumer;

  /** Assigns every partition of {@code topics} (which must exist) at their beginning. */
  public OutputCounter(String bootstrapServers, List<String> topics) {
    consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.CLIENT_ID_CONFIG,
                "bench-output-counter-" + UUID.randomUUID(),
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                5_000,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
      if (infos == null || infos.isEmpty()) {
        consumer.close();
        throw new IllegalStateException("output topic " + topic + " does not exist");
      }
      infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /**
   * Polls until {@code completion} is complete and returns that moment; fails when {@code alive}
   * turns false or {@code deadline} passes, with the progress in the message.
   */
  public Instant awaitCompletion(Completion completion, Instant deadline, BooleanSupplier alive) {
    while (!completion.complete()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "incomplete at the deadline: " + completion.progress() + " committed");
      }
      if (!alive.getAsBoolean()) {
        throw new IllegalStateException(
            "the contender died before completion: " + completion.progress() + " committed");
      }
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
        completion.accept(record);
      }
    }
    return Instant.now();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
