package org.edapipeline.bench.kafka.saga;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.edapipeline.outputs.SagaStatus;

/**
 * What the contender keeps per order saga, as our job's {@code SagaState}: the facts (the first
 * event of each kind, every failure), the status and its history, the commands sent, and the one
 * pending wake-up. Kept in a RocksDB key-value store through {@link SagaSerdes}.
 */
final class SagaState {

  /** One status entered. */
  record Step(SagaStatus status, long enteredAt, String triggeringEventId, String reason) {}

  /** What a wake-up is for. */
  enum WakeUp {
    STEP_DEADLINE,
    COMPENSATION_DEADLINE,
    UNKNOWN_SAGA_DEADLINE,
    RETENTION
  }

  String orderId;
  SagaStatus status;
  String reason;
  List<Step> history = new ArrayList<>();
  long startedAt;
  long firstSeenAt;

  SagaEvent placed;
  SagaEvent confirmed;
  SagaEvent cancelled;
  SagaEvent reserved;
  SagaEvent released;
  SagaEvent paid;
  SagaEvent refunded;
  SagaEvent dispatched;
  SagaEvent delivered;
  List<SagaEvent> inventoryFailures = new ArrayList<>();
  List<SagaEvent> paymentFailures = new ArrayList<>();
  List<SagaEvent> shipmentFailures = new ArrayList<>();

  String releaseCommandId;
  String refundCommandId;
  String cancelCommandId;

  long wakeUpAt;
  WakeUp wakeUpPurpose;
  String wakeUpArmedBy;

  SagaState() {}

  SagaState(String orderId, long firstSeenAt) {
    this.orderId = orderId;
    this.firstSeenAt = firstSeenAt;
  }

  boolean isFinished() {
    return status == SagaStatus.COMPLETED
        || status == SagaStatus.COMPENSATED
        || status == SagaStatus.COMPENSATION_FAILED
        || status == SagaStatus.FAILED;
  }

  Stream<SagaEvent> facts() {
    return Stream.concat(
            Stream.of(
                placed,
                confirmed,
                cancelled,
                reserved,
                released,
                paid,
                refunded,
                dispatched,
                delivered),
            Stream.of(inventoryFailures, paymentFailures, shipmentFailures).flatMap(List::stream))
        .filter(Objects::nonNull);
  }

  boolean knows(String eventId) {
    return facts().anyMatch(e -> e.eventId.equals(eventId));
  }

  /** Records the event in its slot; false if a one-off slot was taken by another event. */
  boolean record(SagaEvent e) {
    switch (e.type) {
      case ORDER_PLACED -> placed = firstOf(placed, e);
      case ORDER_CONFIRMED -> confirmed = firstOf(confirmed, e);
      case ORDER_CANCELLED -> cancelled = firstOf(cancelled, e);
      case INVENTORY_RESERVED -> reserved = firstOf(reserved, e);
      case INVENTORY_RELEASED -> released = firstOf(released, e);
      case PAYMENT_PROCESSED -> paid = firstOf(paid, e);
      case PAYMENT_REFUNDED -> refunded = firstOf(refunded, e);
      case SHIPMENT_DISPATCHED -> dispatched = firstOf(dispatched, e);
      case SHIPMENT_DELIVERED -> delivered = firstOf(delivered, e);
      case INVENTORY_RESERVATION_FAILED -> inventoryFailures.add(e);
      case PAYMENT_FAILED -> paymentFailures.add(e);
      case SHIPMENT_FAILED -> shipmentFailures.add(e);
    }
    return knows(e.eventId);
  }

  private static SagaEvent firstOf(SagaEvent slot, SagaEvent e) {
    return slot != null ? slot : e;
  }

  Step lastStep() {
    return history.isEmpty() ? null : history.get(history.size() - 1);
  }
}
