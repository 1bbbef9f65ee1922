package org.edapipeline.dlq.monitor;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.edapipeline.dlq.kafka.DlqTopic;
import org.edapipeline.outputs.DlqDepthAlert;
import org.edapipeline.outputs.ErrorCategory;

/**
 * One dead-letter queue as one {@link DlqMonitor#check()} saw it.
 *
 * @param dlq the queue
 * @param exists whether the topic exists (all numbers are 0 if not)
 * @param depth records waiting for a person: per partition, the last stable offset minus the larger
 *     of the log start offset and the default replay job's committed offset, summed
 * @param retained records still in the queue, replayed or not: last stable minus log start offset
 * @param recent dead letters that arrived since the previous check, by category
 * @param total dead letters seen since the monitor started, by category (a counter)
 * @param undecodableTotal records seen since the monitor started that are not dead letters
 * @param alerting whether depth is at or above the threshold
 * @param raised the alert raised by this check: depth crossed the threshold upwards
 * @param alertsTotal alerts raised since the monitor started
 */
public record DlqStatus(
    DlqTopic dlq,
    boolean exists,
    long depth,
    long retained,
    Map<ErrorCategory, Long> recent,
    Map<ErrorCategory, Long> total,
    long undecodableTotal,
    boolean alerting,
    Optional<DlqDepthAlert> raised,
    long alertsTotal) {

  public DlqStatus {
    Objects.requireNonNull(dlq, "dlq");
    recent = Map.copyOf(recent);
    total = Map.copyOf(total);
    Objects.requireNonNull(raised, "raised");
  }

  /** Dead letters of {@code category} that arrived since the previous check. */
  public long recent(ErrorCategory category) {
    return recent.getOrDefault(category, 0L);
  }
}
