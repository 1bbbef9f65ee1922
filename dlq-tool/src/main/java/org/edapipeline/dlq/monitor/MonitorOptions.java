package org.edapipeline.dlq.monitor;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import org.edapipeline.dlq.kafka.DlqTopic;
import org.edapipeline.dlq.replay.ReplayOptions;

/**
 * What a {@link DlqMonitor} watches.
 *
 * @param topics the dead-letter queues; those that do not exist (yet) are reported as such
 * @param threshold the depth at which an alert is raised (depth &gt;= threshold); empty for none
 * @param replayJob the replay job whose progress counts as handled in the depth
 */
public record MonitorOptions(List<DlqTopic> topics, OptionalLong threshold, String replayJob) {

  public MonitorOptions {
    topics = List.copyOf(topics);
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("no dead-letter queue to watch");
    }
    Objects.requireNonNull(threshold, "threshold");
    if (threshold.isPresent() && threshold.getAsLong() < 1) {
      throw new IllegalArgumentException(
          "--threshold must be at least 1: " + threshold.getAsLong());
    }
    Objects.requireNonNull(replayJob, "replayJob");
  }

  /** Every dead-letter queue of the catalogue, no threshold, the default replay job. */
  public static MonitorOptions all() {
    return new MonitorOptions(DlqTopic.all(), OptionalLong.empty(), ReplayOptions.DEFAULT_JOB);
  }

  public MonitorOptions withThreshold(long threshold) {
    return new MonitorOptions(topics, OptionalLong.of(threshold), replayJob);
  }
}
