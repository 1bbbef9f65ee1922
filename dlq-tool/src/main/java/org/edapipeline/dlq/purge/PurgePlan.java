package org.edapipeline.dlq.purge;

import java.util.Map;
import org.edapipeline.dlq.kafka.DlqTopic;

/**
 * What a purge deletes: per partition, the records from the log start offset up to (excluding)
 * {@code deleteBefore}.
 *
 * @param dlq the dead-letter queue
 * @param partitions per partition number, its plan
 */
public record PurgePlan(DlqTopic dlq, Map<Integer, Partition> partitions) {

  public PurgePlan {
    partitions = Map.copyOf(partitions);
  }

  /**
   * @param start the log start offset now
   * @param end the last stable offset now
   * @param deleteBefore the new log start offset, in {@code [start, end]}
   */
  public record Partition(long start, long end, long deleteBefore) {
    /** Records this plan deletes in the partition. */
    public long deleted() {
      return deleteBefore - start;
    }
  }

  /** Records the plan deletes in all partitions. */
  public long deleted() {
    return partitions.values().stream().mapToLong(Partition::deleted).sum();
  }
}
