package org.edapipeline.jobs.saga.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.edapipeline.jobs.saga.records.SagaEvent;
import org.edapipeline.outputs.SagaStatus;

/**
 * Everything the job keeps about one order saga: the facts seen (one slot per kind of event, plus
 * every failure), the status derived from them with its history, the compensation commands sent,
 * and the one pending wake-up. A Flink POJO (kept in a {@code ValueState}, serialized by Flink's
 * {@code PojoSerializer}, which also lets fields be added or removed across savepoints).
 *
 * <p>Only {@link SagaStateMachine} changes it.
 */
public class SagaState {

  /** The saga's correlation id. */
  public String orderId;

  /** Current status; null while the saga's OrderPlaced has not been seen. */
  public SagaStatus status;

  /** Reason of the current status, for the failure statuses. */
  public String reason;

  /** Every status entered, oldest first. */
  public List<SagaStepEntry> history = new ArrayList<>();

  /** occurredAt of the OrderPlaced (epoch millis); 0 before it. */
  public long startedAt;

  /** Processing time at which the first event of this saga was seen. */
  public long firstSeenAt;

  // --- facts: the first event of each kind, null until seen ---

  /** The OrderPlaced. */
  public SagaEvent placed;

  /** The OrderConfirmed. */
  public SagaEvent confirmed;

  /** The OrderCancelled. */
  public SagaEvent cancelled;

  /** The InventoryReserved. */
  public SagaEvent reserved;

  /** The InventoryReleased. */
  public SagaEvent released;

  /** The PaymentProcessed. */
  public SagaEvent paid;

  /** The PaymentRefunded. */
  public SagaEvent refunded;

  /** The ShipmentDispatched. */
  public SagaEvent dispatched;

  /** The ShipmentDelivered. */
  public SagaEvent delivered;

  /** Every distinct InventoryReservationFailed. */
  public List<SagaEvent> inventoryFailures = new ArrayList<>();

  /** Every distinct PaymentFailed. */
  public List<SagaEvent> paymentFailures = new ArrayList<>();

  /** Every distinct ShipmentFailed. */
  public List<SagaEvent> shipmentFailures = new ArrayList<>();

  // --- commands sent, by their deterministic id; null when not sent ---

  /** Id of the ReleaseInventory sent. */
  public String releaseCommandId;

  /** Id of the RefundPayment sent. */
  public String refundCommandId;

  /** Id of the CancelOrder sent. */
  public String cancelCommandId;

  // --- the one pending wake-up ---

  /** Processing time of the pending timer; 0 when none. */
  public long wakeUpAt;

  /** What the pending timer is for; null when none. */
  public TimerPurpose wakeUpPurpose;

  /** Event that armed the pending step deadline: the cause of the commands a timeout sends. */
  public String wakeUpArmedBy;

  /** For Flink's POJO serializer. */
  public SagaState() {}

  SagaState(String orderId, long firstSeenAt) {
    this.orderId = orderId;
    this.firstSeenAt = firstSeenAt;
  }

  /** Whether the saga reached COMPLETED, COMPENSATED, COMPENSATION_FAILED or FAILED. */
  public boolean isFinished() {
    return status != null && isFinal(status);
  }

  /** Whether a status ends the saga. */
  public static boolean isFinal(SagaStatus status) {
    return status == SagaStatus.COMPLETED
        || status == SagaStatus.COMPENSATED
        || status == SagaStatus.COMPENSATION_FAILED
        || status == SagaStatus.FAILED;
  }

  /** Every event recorded, in slot order. */
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

  /** Whether an event with this id was recorded (a loop, not {@link #facts}: once per event). */
  boolean knows(String eventId) {
    return isId(placed, eventId)
        || isId(confirmed, eventId)
        || isId(cancelled, eventId)
        || isId(reserved, eventId)
        || isId(released, eventId)
        || isId(paid, eventId)
        || isId(refunded, eventId)
        || isId(dispatched, eventId)
        || isId(delivered, eventId)
        || hasId(inventoryFailures, eventId)
        || hasId(paymentFailures, eventId)
        || hasId(shipmentFailures, eventId);
  }

  private static boolean isId(SagaEvent fact, String eventId) {
    return fact != null && fact.eventId.equals(eventId);
  }

  private static boolean hasId(List<SagaEvent> facts, String eventId) {
    for (SagaEvent fact : facts) {
      if (isId(fact, eventId)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Records an event in its slot.
   *
   * @return false if the slot is taken (a second, different event of a one-off kind: the first
   *     wins, the second changes nothing)
   */
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

  /**
   * Drops the Kafka records the facts were decoded from: they are kept only to dead-letter the
   * events of a saga that never starts, and a started saga never becomes unknown again.
   */
  void forgetOrigins() {
    for (SagaEvent fact :
        new SagaEvent[] {
          placed, confirmed, cancelled, reserved, released, paid, refunded, dispatched, delivered
        }) {
      if (fact != null) {
        fact.origin = null;
      }
    }
    for (List<SagaEvent> failures : List.of(inventoryFailures, paymentFailures, shipmentFailures)) {
      for (SagaEvent failure : failures) {
        if (failure != null) {
          failure.origin = null;
        }
      }
    }
  }

  /** The status before the current one; null if none. */
  SagaStepEntry lastStep() {
    return history.isEmpty() ? null : history.get(history.size() - 1);
  }

  @Override
  public String toString() {
    return "SagaState{"
        + orderId
        + ", "
        + status
        + ", history="
        + history
        + ", wakeUp="
        + wakeUpPurpose
        + "@"
        + wakeUpAt
        + "}";
  }
}
