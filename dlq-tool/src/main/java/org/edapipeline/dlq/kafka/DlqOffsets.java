package org.edapipeline.dlq.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.edapipeline.dlq.DlqException;
import org.edapipeline.dlq.read.OffsetRange;

/** Offsets of a dead-letter queue and of the groups reading it, through the admin client. */
public final class DlqOffsets {

  private static final long TIMEOUT_SECONDS = 60;

  private final Admin admin;

  /**
   * @param admin owned by the caller
   */
  public DlqOffsets(Admin admin) {
    this.admin = admin;
  }

  /**
   * Per partition of {@code topic}: its log start offset and last stable offset.
   *
   * @throws DlqException if the topic does not exist or Kafka does not answer
   */
  public Map<Integer, OffsetRange> ranges(String topic) {
    List<TopicPartition> partitions;
    try {
      partitions =
          get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic).partitions().stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
    } catch (DlqException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new DlqException("Topic " + topic + " does not exist", e.getCause());
      }
      throw e;
    }
    ListOffsetsOptions committed = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
    Map<TopicPartition, ListOffsetsResultInfo> starts =
        get(admin.listOffsets(spec(partitions, OffsetSpec.earliest()), committed).all());
    Map<TopicPartition, ListOffsetsResultInfo> ends =
        get(admin.listOffsets(spec(partitions, OffsetSpec.latest()), committed).all());
    Map<Integer, OffsetRange> ranges = new TreeMap<>();
    for (TopicPartition tp : partitions) {
      long start = starts.get(tp).offset();
      ranges.put(tp.partition(), new OffsetRange(start, Math.max(start, ends.get(tp).offset())));
    }
    return ranges;
  }

  /** Whether {@code topic} exists. */
  public boolean exists(String topic) {
    return get(admin.listTopics().names()).contains(topic);
  }

  /** The committed offsets of {@code group} in {@code topic}, by partition; empty if none. */
  public Map<Integer, Long> groupOffsets(String group, String topic) {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
    Map<Integer, Long> byPartition = new HashMap<>();
    offsets.forEach(
        (tp, offset) -> {
          if (tp.topic().equals(topic) && offset != null) {
            byPartition.put(tp.partition(), offset.offset());
          }
        });
    return byPartition;
  }

  /** Kafka's answer, or a {@link DlqException} that says what went wrong. */
  public static <T> T get(KafkaFuture<T> future) {
    try {
      return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new DlqException("Kafka refused: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new DlqException("Kafka did not answer within " + TIMEOUT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DlqException("Interrupted while waiting for Kafka", e);
    }
  }

  private static Map<TopicPartition, OffsetSpec> spec(
      List<TopicPartition> partitions, OffsetSpec spec) {
    return partitions.stream().collect(Collectors.toMap(Function.identity(), tp -> spec));
  }
}
