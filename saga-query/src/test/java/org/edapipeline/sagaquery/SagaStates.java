package org.edapipeline.sagaquery;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.outputs.SagaStateChanged;
import org.edapipeline.outputs.SagaStatus;
import org.edapipeline.outputs.SagaStep;

/**
 * {@code SagaStateChanged} records as the saga job writes them: the n-th change of an order has the
 * whole history so far, entered one second apart from {@link #STARTED_AT}, and a name-based id.
 */
final class SagaStates {

  static final Instant STARTED_AT = Instant.parse("2026-03-01T10:00:00Z");

  private SagaStates() {}

  /** The change that moves {@code orderId} into the last of {@code statuses}. */
  static SagaStateChanged change(String orderId, SagaStatus... statuses) {
    List<SagaStep> history = new ArrayList<>();
    for (int i = 0; i < statuses.length; i++) {
      history.add(new SagaStep(statuses[i], STARTED_AT.plusSeconds(i)));
    }
    int last = statuses.length - 1;
    UUID id =
        UUID.nameUUIDFromBytes(
            (orderId + "/" + statuses.length + "/" + statuses[last])
                .getBytes(StandardCharsets.UTF_8));
    return SagaStateChanged.newBuilder()
        .setMetadata(
            EventMetadata.newBuilder()
                .setEventId(id)
                .setEventType("SagaStateChanged")
                .setSchemaVersion(1)
                .setAggregateType("saga")
                .setAggregateId(orderId)
                .setCorrelationId(orderId)
                .setOccurredAt(STARTED_AT.plusSeconds(last))
                .build())
        .setOrderId(orderId)
        .setStatus(statuses[last])
        .setPreviousStatus(last == 0 ? null : statuses[last - 1])
        .setHistory(history)
        .setStartedAt(STARTED_AT)
        .setElapsedMillis(last * 1000L)
        .setPreviousStatusMillis(last == 0 ? 0 : 1000)
        .setReason(statuses[last] == SagaStatus.COMPENSATING ? "PAYMENT_FAILED" : null)
        .build();
  }
}
