package org.edapipeline.bench.kafka.saga;

import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.events.inventory.InventoryReleased;
import org.edapipeline.events.inventory.InventoryReservationFailed;
import org.edapipeline.events.inventory.InventoryReserved;
import org.edapipeline.events.order.OrderCancelled;
import org.edapipeline.events.order.OrderConfirmed;
import org.edapipeline.events.order.OrderPlaced;
import org.edapipeline.events.payment.PaymentFailed;
import org.edapipeline.events.payment.PaymentProcessed;
import org.edapipeline.events.payment.PaymentRefunded;
import org.edapipeline.events.shipment.ShipmentDelivered;
import org.edapipeline.events.shipment.ShipmentDispatched;
import org.edapipeline.events.shipment.ShipmentFailed;
import org.edapipeline.schemas.trace.TraceContext;

/**
 * One saga event, flattened from its catalogue record: what the state machine needs and nothing
 * else, the fields our job's {@code SagaEvent} has (its Kafka provenance excepted). Mutable, like a
 * POJO; {@link SagaSerdes} writes it compactly for the repartition topic and the state store.
 */
public final class SagaEvent {

  String eventId;
  SagaEventType type;
  String orderId;
  long occurredAt;
  String causationId;
  String traceparent;
  String reservationId;
  String paymentId;
  String shipmentId;
  long amountMinor;
  String currency;
  String reason;
  boolean transientFailure;
  int attempt;

  SagaEvent() {}

  SagaEvent(String eventId, SagaEventType type, String orderId, long occurredAt) {
    this.eventId = eventId;
    this.type = type;
    this.orderId = orderId;
    this.occurredAt = occurredAt;
  }

  public String orderId() {
    return orderId;
  }

  public String eventId() {
    return eventId;
  }

  /**
   * The saga event of a decoded record, as our job maps it; empty if the record is not a saga event
   * or has no order id. The trace context is the delivering record's {@code traceparent} header
   * when valid (the CDC publish's span), else the payload's.
   */
  public static Optional<SagaEvent> of(SpecificRecord record, String traceparentHeader) {
    SagaEvent event = map(record);
    if (event == null || event.orderId == null || event.orderId.isBlank()) {
      return Optional.empty();
    }
    if (TraceContext.parse(traceparentHeader) != null) {
      event.traceparent = traceparentHeader;
    }
    return Optional.of(event);
  }

  private static SagaEvent map(SpecificRecord record) {
    if (record instanceof OrderPlaced r) {
      SagaEvent e = base(r.getMetadata(), SagaEventType.ORDER_PLACED, r.getOrderId());
      e.amountMinor = r.getTotalAmountMinor();
      e.currency = r.getCurrency();
      return e;
    }
    if (record instanceof OrderConfirmed r) {
      return base(r.getMetadata(), SagaEventType.ORDER_CONFIRMED, r.getOrderId());
    }
    if (record instanceof OrderCancelled r) {
      SagaEvent e = base(r.getMetadata(), SagaEventType.ORDER_CANCELLED, r.getOrderId());
      e.reason = r.getReason();
      return e;
    }
    if (record instanceof InventoryReserved r) {
      SagaEvent e = base(r.getMetadata(), SagaEventType.INVENTORY_RESERVED, r.getOrderId());
      e.reservationId = r.getReservationId();
      return e;
    }
    if (record instanceof InventoryReservationFailed r) {
      SagaEvent e =
          base(r.getMetadata(), SagaEventType.INVENTORY_RESERVATION_FAILED, r.getOrderId());
      e.reason = r.getReason();
      e.transientFailure = r.getTransientFailure();
      return e;
    }
    if (record instanceof InventoryReleased r) {
      SagaEvent e = base(r.getMetadata(), SagaEventType.INVENTORY_RELEASED, r.getOrderId());
      e.reservationId = r.getReservationId();
      e.reason = r.getReason();
      return e;
    }
    if (record instanceof PaymentProcessed r) {
      SagaEvent e = base(r.getMetadata(), SagaEventType.PAYMENT_PROCESSED, r.getOrderId());
      e.paymentId = r.getPaymentId();
      e.amountMinor = r.getAmountMinor();
      e.currency = r.getCurrency();
      return e;
    }
    if (record instanceof PaymentFailed r) {
      SagaEvent e = base(r.getMetadata(), SagaEventType.PAYMENT_FAILED, r.getOrderId());
      e.paymentId = r.getPaymentId();
      e.amountMinor = r.getAmountMinor();
      e.currency = r.getCurrency();
      e.reason = r.getReason();
      e.transientFailure = r.getTransientFailure();
      e.attempt = r.getAttempt();
      return e;
    }
    if (record instanceof PaymentRefunded r) {
      SagaEvent e = base(r.getMetadata(), SagaEventType.PAYMENT_REFUNDED, r.getOrderId());
      e.paymentId = r.getPaymentId();
      e.amountMinor = r.getAmountMinor();
      e.currency = r.getCurrency();
      e.reason = r.getReason();
      return e;
    }
    if (record instanceof ShipmentDispatched r) {
      SagaEvent e = base(r.getMetadata(), SagaEventType.SHIPMENT_DISPATCHED, r.getOrderId());
      e.shipmentId = r.getShipmentId();
      return e;
    }
    if (record instanceof ShipmentDelivered r) {
      SagaEvent e = base(r.getMetadata(), SagaEventType.SHIPMENT_DELIVERED, r.getOrderId());
      e.shipmentId = r.getShipmentId();
      return e;
    }
    if (record instanceof ShipmentFailed r) {
      SagaEvent e = base(r.getMetadata(), SagaEventType.SHIPMENT_FAILED, r.getOrderId());
      e.shipmentId = r.getShipmentId();
      e.reason = r.getReason();
      e.transientFailure = r.getTransientFailure();
      e.attempt = r.getAttempt();
      return e;
    }
    return null;
  }

  private static SagaEvent base(EventMetadata metadata, SagaEventType type, String orderId) {
    SagaEvent e =
        new SagaEvent(
            metadata.getEventId().toString(),
            type,
            orderId,
            metadata.getOccurredAt().toEpochMilli());
    e.causationId = metadata.getCausationId();
    e.traceparent = metadata.getTraceparent();
    return e;
  }
}
