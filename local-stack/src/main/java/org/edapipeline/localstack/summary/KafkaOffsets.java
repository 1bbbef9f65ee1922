package org.edapipeline.localstack.summary;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * Offsets through Kafka's admin API: how many records a topic holds, and each consumer group's lag
 * (committed records not yet consumed: last stable offset minus committed offset, summed over the
 * partitions the group has committed).
 */
public final class KafkaOffsets implements AutoCloseable {
  private static final long TIMEOUT_SECONDS = 10;
  private static final ListOffsetsOptions COMMITTED =
      new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);

  private final Admin admin;

  public KafkaOffsets(String bootstrapServers) {
    this.admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG,
                "local-stack-offsets"));
  }

  /** Records ever written to {@code topic} (the sum of its partitions' end offsets). */
  public long records(String topic) {
    try {
      TopicDescription description =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
              .get(topic);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      description
          .partitions()
          .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      return endOffsets(latest).values().stream().mapToLong(ListOffsetsResultInfo::offset).sum();
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Lag of each group, in the given order; -1 where it could not be read. */
  public Map<String, Long> lag(List<String> groups) {
    Map<String, Long> lag = new LinkedHashMap<>();
    for (String group : groups) {
      lag.put(group, lag(group));
    }
    return lag;
  }

  private long lag(String group) {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
      if (latest.isEmpty()) {
        return 0;
      }
      Map<TopicPartition, ListOffsetsResultInfo> ends = endOffsets(latest);
      long lag = 0;
      for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : committed.entrySet()) {
        if (entry.getValue() != null && ends.containsKey(entry.getKey())) {
          lag += Math.max(0, ends.get(entry.getKey()).offset() - entry.getValue().offset());
        }
      }
      return lag;
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private Map<TopicPartition, ListOffsetsResultInfo> endOffsets(
      Map<TopicPartition, OffsetSpec> request)
      throws InterruptedException, ExecutionException, TimeoutException {
    return admin.listOffsets(request, COMMITTED).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    admin.close();
  }
}
