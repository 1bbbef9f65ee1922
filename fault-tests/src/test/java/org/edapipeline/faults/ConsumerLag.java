package org.edapipeline.faults;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Consumer lag of the jobs' groups: end offset minus the offset Flink committed on its last
 * completed checkpoint, summed over the group's input partitions. A partition the group never
 * committed counts from 0.
 */
final class ConsumerLag implements AutoCloseable {
  private final Admin admin;
  private final Map<String, List<String>> inputsPerGroup;

  ConsumerLag(Map<String, Object> kafka, Map<String, List<String>> inputsPerGroup) {
    this.admin = Admin.create(kafka);
    this.inputsPerGroup = inputsPerGroup;
  }

  /** Total lag of every group; throws if the broker does not answer in 10 s. */
  long total() throws Exception {
    long lag = 0;
    for (Map.Entry<String, List<String>> group : inputsPerGroup.entrySet()) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(group.getKey())
              .partitionsToOffsetAndMetadata()
              .get(10, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (String topic : group.getValue()) {
        admin
            .describeTopics(List.of(topic))
            .allTopicNames()
            .get(10, TimeUnit.SECONDS)
            .get(topic)
            .partitions()
            .forEach(
                p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      }
      Map<TopicPartition, ListOffsetsResultInfo> ends =
          admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
      for (Map.Entry<TopicPartition, ListOffsetsResultInfo> end : ends.entrySet()) {
        OffsetAndMetadata done = committed.get(end.getKey());
        lag += Math.max(0, end.getValue().offset() - (done == null ? 0 : done.offset()));
      }
    }
    return lag;
  }

  @Override
  public void close() {
    admin.close();
  }
}
