package org.edapipeline.jobs.saga.records;

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

/**
 * Maps the catalogue's Avro records to {@link SagaEvent}s. The four {@code *.events} topics carry
 * several event types each; this is the one place that knows which fields of which type matter to
 * the saga.
 *
 * <p>Never throws on a decoded record: a record that is not a saga event, or that has no order id
 * to key it by, maps to {@link Optional#empty()}, and the caller routes it to the dead-letter queue
 * (it decoded, so the category is permanent).
 */
public final class SagaEventMapper {

  private SagaEventMapper() {}

  /**
   * The saga event of a decoded catalogue record.
   *
   * @param record a record read from one of the four {@code *.events} topics
   * @return the saga event, or empty if the record is not one or has a blank order id
   */
  public static Optional<SagaEvent> map(SpecificRecord record) {
    SagaEvent event = toEvent(record);
    if (event == null || event.orderId == null || event.orderId.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(event);
  }

  /** Whether records of this class map to saga events. */
  public static boolean isSagaEvent(Class<?> recordClass) {
    for (SagaEventType type : SagaEventType.values()) {
      if (type.recordClass() == recordClass) {
        return true;
      }
    }
    return false;
  }

  private static SagaEvent toEvent(SpecificRecord record) {
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
