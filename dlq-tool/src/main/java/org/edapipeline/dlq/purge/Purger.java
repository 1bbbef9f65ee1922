package org.edapipeline.dlq.purge;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DeletedRecords;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.edapipeline.dlq.kafka.DlqOffsets;
import org.edapipeline.dlq.kafka.DlqTopic;
import org.edapipeline.dlq.read.OffsetRange;
import org.edapipeline.dlq.replay.Replayer;

/**
 * Deletes the oldest records of a dead-letter queue with {@link Admin#deleteRecords}: a Kafka log
 * can only lose a prefix, so a purge moves each partition's log start offset forward. Records that
 * are still wanted must be replayed first; {@link PurgeTarget.Replayed} deletes exactly what a
 * replay job has passed. Never beyond the last stable offset: an open transaction's records stay.
 */
public final class Purger {

  private final Admin admin;
  private final DlqOffsets offsets;

  /**
   * @param admin owned by the caller
   */
  public Purger(Admin admin) {
    this.admin = admin;
    this.offsets = new DlqOffsets(admin);
  }

  /** What purging {@code dlq} up to {@code target} would delete; deletes nothing. */
  public PurgePlan plan(DlqTopic dlq, PurgeTarget target) {
    Map<Integer, OffsetRange> ranges = offsets.ranges(dlq.name());
    Map<Integer, Long> wanted = targetOffsets(dlq, target, ranges);
    Map<Integer, PurgePlan.Partition> partitions = new TreeMap<>();
    ranges.forEach(
        (partition, range) -> {
          Long target0 = wanted.get(partition);
          long before = target0 == null ? range.start() : range.clamp(target0);
          partitions.put(partition, new PurgePlan.Partition(range.start(), range.end(), before));
        });
    return new PurgePlan(dlq, partitions);
  }

  /**
   * Carries out {@code plan}.
   *
   * @return the log start offset of each partition afterwards
   */
  public Map<Integer, Long> execute(PurgePlan plan) {
    Map<TopicPartition, RecordsToDelete> deletions = new HashMap<>();
    Map<Integer, Long> lowWatermarks = new TreeMap<>();
    plan.partitions()
        .forEach(
            (partition, p) -> {
              lowWatermarks.put(partition, p.start());
              if (p.deleted() > 0) {
                deletions.put(
                    new TopicPartition(plan.dlq().name(), partition),
                    RecordsToDelete.beforeOffset(p.deleteBefore()));
              }
            });
    if (!deletions.isEmpty()) {
      Map<TopicPartition, KafkaFuture<DeletedRecords>> result =
          admin.deleteRecords(deletions).lowWatermarks();
      result.forEach(
          (tp, future) -> lowWatermarks.put(tp.partition(), DlqOffsets.get(future).lowWatermark()));
    }
    return lowWatermarks;
  }

  private Map<Integer, Long> targetOffsets(
      DlqTopic dlq, PurgeTarget target, Map<Integer, OffsetRange> ranges) {
    Map<Integer, Long> wanted = new HashMap<>();
    if (target instanceof PurgeTarget.All) {
      ranges.forEach((partition, range) -> wanted.put(partition, range.end()));
    } else if (target instanceof PurgeTarget.BeforeOffset before) {
      if (before.partition().isPresent() && !ranges.containsKey(before.partition().get())) {
        throw new IllegalArgumentException(
            "--partition "
                + before.partition().get()
                + ": "
                + dlq.name()
                + " has partitions "
                + ranges.keySet());
      }
      ranges.keySet().stream()
          .filter(p -> before.partition().map(p::equals).orElse(true))
          .forEach(p -> wanted.put(p, before.offset()));
    } else if (target instanceof PurgeTarget.Replayed replayed) {
      wanted.putAll(offsets.groupOffsets(Replayer.groupId(dlq, replayed.job()), dlq.name()));
    }
    return wanted;
  }
}
