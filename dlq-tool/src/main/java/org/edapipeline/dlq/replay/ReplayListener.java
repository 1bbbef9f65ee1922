package org.edapipeline.dlq.replay;

import org.edapipeline.dlq.read.DeadLetterEntry;

/** What a replay does with each matching record, for the CLI's output and for tests. */
public interface ReplayListener {

  /** Does nothing. */
  ReplayListener NONE = new ReplayListener() {};

  /**
   * The record was handed to the producer (or would have been, in a dry run) with this replay
   * count; it is acknowledged before the replay's progress passes it.
   */
  default void onReplayed(DeadLetterEntry entry, int replayCount) {}

  /**
   * The record was not replayed because it reached the maximum replay count (or has no valid one).
   */
  default void onRefused(DeadLetterEntry entry, String reason) {}

  /**
   * The record cannot be replayed at all: it is not a dead letter, or not of this queue's source.
   */
  default void onSkipped(DeadLetterEntry entry, String reason) {}
}
