package org.edapipeline.dlq.purge;

import java.util.Objects;
import java.util.Optional;

/** Up to where {@link Purger} deletes, per partition of a dead-letter queue. */
public sealed interface PurgeTarget {

  /**
   * Records before {@code offset}, in {@code partition} or in every partition.
   *
   * @param partition one partition; empty for all
   * @param offset first offset kept
   */
  record BeforeOffset(Optional<Integer> partition, long offset) implements PurgeTarget {
    public BeforeOffset {
      Objects.requireNonNull(partition, "partition");
      if (offset < 0) {
        throw new IllegalArgumentException("--before-offset must not be negative: " + offset);
      }
    }
  }

  /** Records that replay job {@code job} has passed: before its committed offset. */
  record Replayed(String job) implements PurgeTarget {
    public Replayed {
      Objects.requireNonNull(job, "job");
    }
  }

  /** Every committed record (up to the last stable offset). */
  record All() implements PurgeTarget {}
}
