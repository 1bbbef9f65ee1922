package org.edapipeline.bench.kafka.saga;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.edapipeline.commands.CancelOrder;
import org.edapipeline.commands.RefundPayment;
import org.edapipeline.commands.ReleaseInventory;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.outputs.SagaStateChanged;
import org.edapipeline.outputs.SagaStep;
import org.edapipeline.schemas.trace.TraceContext;

/**
 * The records the saga writes, built as our job builds them: the same name-based ids, envelopes
 * (correlation id = order id, causation id = the trigger's event id) and derived {@code
 * traceparent}s, so the same input gives the same records.
 */
final class SagaOutputs {

  static final int SCHEMA_VERSION = 1;
  static final String AGGREGATE_TYPE = "saga";

  private SagaOutputs() {}

  static UUID nameUuid(String... parts) {
    return UUID.nameUUIDFromBytes(String.join("/", parts).getBytes(StandardCharsets.UTF_8));
  }

  static SagaStateChanged stateChanged(
      SagaState state, SagaState.Step previous, SagaState.Step entered, SagaEvent trigger) {
    List<SagaStep> history = new ArrayList<>(state.history.size());
    for (SagaState.Step step : state.history) {
      history.add(new SagaStep(step.status(), Instant.ofEpochMilli(step.enteredAt())));
    }
    UUID id =
        nameUuid(
            state.orderId,
            SagaStateChanged.class.getSimpleName(),
            Integer.toString(state.history.size()),
            entered.status().name());
    return SagaStateChanged.newBuilder()
        .setMetadata(metadata(id, SagaStateChanged.class, state, trigger, entered.enteredAt()))
        .setOrderId(state.orderId)
        .setStatus(entered.status())
        .setPreviousStatus(previous == null ? null : previous.status())
        .setHistory(history)
        .setStartedAt(Instant.ofEpochMilli(state.startedAt))
        .setElapsedMillis(Math.max(0, entered.enteredAt() - state.startedAt))
        .setPreviousStatusMillis(
            previous == null ? 0 : Math.max(0, entered.enteredAt() - previous.enteredAt()))
        .setTriggeringEventId(trigger == null ? null : UUID.fromString(trigger.eventId))
        .setReason(entered.reason())
        .build();
  }

  static ReleaseInventory releaseInventory(
      SagaState state, UUID id, long at, String reason, SagaEvent cause) {
    return ReleaseInventory.newBuilder()
        .setMetadata(metadata(id, ReleaseInventory.class, state, cause, at))
        .setCommandId(id)
        .setOrderId(state.orderId)
        .setReservationId(state.reserved.reservationId)
        .setReason(reason)
        .build();
  }

  static RefundPayment refundPayment(
      SagaState state, UUID id, long at, String reason, SagaEvent cause) {
    return RefundPayment.newBuilder()
        .setMetadata(metadata(id, RefundPayment.class, state, cause, at))
        .setCommandId(id)
        .setOrderId(state.orderId)
        .setPaymentId(state.paid.paymentId)
        .setAmountMinor(state.paid.amountMinor)
        .setCurrency(state.paid.currency)
        .setReason(reason)
        .build();
  }

  static CancelOrder cancelOrder(
      SagaState state, UUID id, long at, String reason, SagaEvent cause) {
    return CancelOrder.newBuilder()
        .setMetadata(metadata(id, CancelOrder.class, state, cause, at))
        .setCommandId(id)
        .setOrderId(state.orderId)
        .setReason(reason)
        .build();
  }

  private static EventMetadata metadata(
      UUID id, Class<?> type, SagaState state, SagaEvent cause, long at) {
    String orderId = state.orderId;
    String parentTraceparent =
        cause != null ? cause.traceparent : state.placed == null ? null : state.placed.traceparent;
    TraceContext parent = TraceContext.parse(parentTraceparent);
    if (parent == null) {
      parent = TraceContext.root("saga/" + orderId);
    }
    return EventMetadata.newBuilder()
        .setEventId(id)
        .setEventType(type.getSimpleName())
        .setSchemaVersion(SCHEMA_VERSION)
        .setAggregateType(AGGREGATE_TYPE)
        .setAggregateId(orderId)
        .setCorrelationId(orderId)
        .setCausationId(cause == null ? null : cause.eventId)
        .setOccurredAt(Instant.ofEpochMilli(at))
        .setTraceparent(parent.child(id.toString()).traceparent())
        .build();
  }
}
