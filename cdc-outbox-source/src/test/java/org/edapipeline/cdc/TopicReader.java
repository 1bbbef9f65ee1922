package org.edapipeline.cdc;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.edapipeline.schemas.Topic;

/**
 * Reads topics from the beginning without a consumer group and keeps the records whose key starts
 * with the test's prefix, in partition order. Waits by polling with a deadline.
 */
final class TopicReader implements AutoCloseable {

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String keyPrefix;
  private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
  private final java.util.Set<String> eventIds = new java.util.HashSet<>();

  TopicReader(Map<String, Object> kafkaConfig, List<Topic<?, ?>> topics, String keyPrefix) {
    Map<String, Object> config = new java.util.HashMap<>(kafkaConfig);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    this.consumer = new KafkaConsumer<>(config);
    List<TopicPartition> partitions = new ArrayList<>();
    for (Topic<?, ?> topic : topics) {
      for (int p = 0; p < topic.partitions(); p++) {
        partitions.add(new TopicPartition(topic.name(), p));
      }
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    this.keyPrefix = keyPrefix;
  }

  /**
   * Polls until {@code done} holds for the records read so far, or fails after {@code patience}.
   */
  List<ConsumerRecord<byte[], byte[]>> readUntil(
      Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Duration patience, String what) {
    long deadline = System.nanoTime() + patience.toNanos();
    while (!done.test(records)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "Timed out after " + patience + " waiting for " + what + "; read " + records.size());
      }
      poll(Duration.ofMillis(200));
    }
    return List.copyOf(records);
  }

  /** Polls until every one of {@code expected} event ids was read, or fails. */
  List<ConsumerRecord<byte[], byte[]>> readEventIds(
      java.util.Set<String> expected, Duration patience) {
    return readUntil(r -> eventIds.containsAll(expected), patience, expected.size() + " event ids");
  }

  /** Polls for {@code quiet} more and returns everything read (to catch extra records). */
  List<ConsumerRecord<byte[], byte[]>> readFor(Duration quiet) {
    long deadline = System.nanoTime() + quiet.toNanos();
    while (System.nanoTime() < deadline) {
      poll(Duration.ofMillis(100));
    }
    return List.copyOf(records);
  }

  private void poll(Duration timeout) {
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
      if (record.key() != null
          && new String(record.key(), StandardCharsets.UTF_8).startsWith(keyPrefix)) {
        records.add(record);
        String eventId = header(record, org.edapipeline.schemas.EventHeaders.EVENT_ID);
        if (eventId != null) {
          eventIds.add(eventId);
        }
      }
    }
  }

  static String key(ConsumerRecord<byte[], byte[]> record) {
    return new String(record.key(), StandardCharsets.UTF_8);
  }

  static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** Records per topic name, for messages. */
  static Map<String, Long> countByTopic(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream()
        .collect(Collectors.groupingBy(ConsumerRecord::topic, Collectors.counting()));
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(2));
  }
}
