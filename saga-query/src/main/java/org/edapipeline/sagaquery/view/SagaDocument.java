package org.edapipeline.sagaquery.view;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.outputs.SagaStateChanged;
import org.edapipeline.outputs.SagaStep;

/**
 * What {@code GET /sagas/{orderId}} answers: a saga's latest {@code SagaStateChanged}, flattened
 * for JSON. Times are ISO-8601 instants; durations are milliseconds.
 *
 * @param orderId the order (the saga's correlation id)
 * @param status current status
 * @param previousStatus the status before; null when the saga just started
 * @param reason machine-readable reason of a failure status; null otherwise
 * @param startedAt when the saga started (its OrderPlaced)
 * @param updatedAt when the current status was entered
 * @param elapsedMillis saga duration so far, from {@code startedAt} to {@code updatedAt}
 * @param previousStatusMillis how long the saga was in {@code previousStatus}
 * @param lastEventId id of the latest status change record ({@code metadata.eventId})
 * @param triggeringEventId the event that caused the latest change; null after a deadline
 * @param traceparent W3C trace context of the latest change, if traced
 * @param history every status entered, oldest first
 */
public record SagaDocument(
    String orderId,
    String status,
    String previousStatus,
    String reason,
    String startedAt,
    String updatedAt,
    long elapsedMillis,
    long previousStatusMillis,
    String lastEventId,
    String triggeringEventId,
    String traceparent,
    List<Step> history) {

  /**
   * One status the saga entered.
   *
   * @param status the status
   * @param enteredAt when it was entered
   * @param durationMillis how long the saga stayed in it; null for the current status
   */
  public record Step(String status, String enteredAt, Long durationMillis) {}

  public SagaDocument {
    history = List.copyOf(history);
  }

  /** The document of a status change record. */
  public static SagaDocument of(SagaStateChanged change) {
    List<SagaStep> steps = change.getHistory();
    List<Step> history = new ArrayList<>(steps.size());
    for (int i = 0; i < steps.size(); i++) {
      Instant entered = steps.get(i).getEnteredAt();
      Long duration =
          i + 1 < steps.size()
              ? steps.get(i + 1).getEnteredAt().toEpochMilli() - entered.toEpochMilli()
              : null;
      history.add(new Step(steps.get(i).getStatus().name(), entered.toString(), duration));
    }
    EventMetadata metadata = change.getMetadata();
    return new SagaDocument(
        change.getOrderId(),
        change.getStatus().name(),
        change.getPreviousStatus() == null ? null : change.getPreviousStatus().name(),
        change.getReason(),
        change.getStartedAt().toString(),
        metadata.getOccurredAt().toString(),
        change.getElapsedMillis(),
        change.getPreviousStatusMillis(),
        metadata.getEventId().toString(),
        change.getTriggeringEventId() == null ? null : change.getTriggeringEventId().toString(),
        metadata.getTraceparent(),
        history);
  }
}
