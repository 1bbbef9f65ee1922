package org.edapipeline.jobs.saga.state;

import java.util.Objects;
import org.edapipeline.outputs.SagaStatus;

/** One status the saga entered: a Flink POJO kept in the saga's history. */
public class SagaStepEntry {

  /** The status entered. */
  public SagaStatus status;

  /** When: occurredAt of the triggering event, or the deadline for a timeout (epoch millis). */
  public long enteredAt;

  /** Event that caused the change; null when a deadline did. */
  public String triggeringEventId;

  /** Machine-readable reason for the failure statuses; null otherwise. */
  public String reason;

  /** For Flink's POJO serializer. */
  public SagaStepEntry() {}

  SagaStepEntry(SagaStatus status, long enteredAt, String triggeringEventId, String reason) {
    this.status = status;
    this.enteredAt = enteredAt;
    this.triggeringEventId = triggeringEventId;
    this.reason = reason;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SagaStepEntry e
        && status == e.status
        && enteredAt == e.enteredAt
        && Objects.equals(triggeringEventId, e.triggeringEventId)
        && Objects.equals(reason, e.reason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(status, enteredAt, triggeringEventId, reason);
  }

  @Override
  public String toString() {
    return status + "@" + enteredAt + (reason != null ? "(" + reason + ")" : "");
  }
}
