package org.edapipeline.faults;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.events.inventory.InventoryReleased;
import org.edapipeline.events.inventory.InventoryReserved;
import org.edapipeline.events.inventory.ReservedLine;
import org.edapipeline.events.order.OrderLine;
import org.edapipeline.events.order.OrderPlaced;
import org.edapipeline.events.payment.PaymentFailed;
import org.edapipeline.events.payment.PaymentProcessed;
import org.edapipeline.events.shipment.ShipmentDelivered;
import org.edapipeline.events.shipment.ShipmentDispatched;

/**
 * The catalogue events of one planned order, with ids derived from the order id: building an event
 * twice gives the same event id, so a rewritten event is a duplicate the pipeline must drop.
 */
final class OrderEvents {
  private static final long AMOUNT = 4_999;
  private static final String CURRENCY = "EUR";
  private static final String SKU = "SKU-FAULT";

  private final String orderId;
  private final Instant placedAt;

  OrderEvents(String orderId, Instant placedAt) {
    this.orderId = orderId;
    this.placedAt = placedAt;
  }

  /** {@code OrderPlaced}; {@code v2} sets the {@code couponCode} that version 2 added. */
  OrderPlaced placed(boolean v2) {
    return OrderPlaced.newBuilder()
        .setMetadata(metadata("OrderPlaced", v2 ? 2 : 1, "order", orderId, 0))
        .setOrderId(orderId)
        .setCustomerId("customer-" + orderId)
        .setLines(
            List.of(
                OrderLine.newBuilder()
                    .setSku(SKU)
                    .setQuantity(1)
                    .setUnitPriceMinor(AMOUNT)
                    .build()))
        .setTotalAmountMinor(AMOUNT)
        .setCurrency(CURRENCY)
        .setCouponCode(v2 ? "FAULT10" : null)
        .build();
  }

  InventoryReserved reserved() {
    return InventoryReserved.newBuilder()
        .setMetadata(metadata("InventoryReserved", 1, "inventory", reservationId(), 1_000))
        .setReservationId(reservationId())
        .setOrderId(orderId)
        .setLines(List.of(ReservedLine.newBuilder().setSku(SKU).setQuantity(1).build()))
        .build();
  }

  InventoryReleased released() {
    return InventoryReleased.newBuilder()
        .setMetadata(metadata("InventoryReleased", 1, "inventory", reservationId(), 3_000))
        .setReservationId(reservationId())
        .setOrderId(orderId)
        .setReason("COMPENSATION")
        .build();
  }

  PaymentProcessed paid() {
    return PaymentProcessed.newBuilder()
        .setMetadata(metadata("PaymentProcessed", 1, "payment", paymentId(), 2_000))
        .setPaymentId(paymentId())
        .setOrderId(orderId)
        .setAmountMinor(AMOUNT)
        .setCurrency(CURRENCY)
        .build();
  }

  PaymentFailed declined() {
    return PaymentFailed.newBuilder()
        .setMetadata(metadata("PaymentFailed", 1, "payment", paymentId(), 2_000))
        .setPaymentId(paymentId())
        .setOrderId(orderId)
        .setAmountMinor(AMOUNT)
        .setCurrency(CURRENCY)
        .setReason("CARD_DECLINED")
        .setTransientFailure(false)
        .setAttempt(1)
        .build();
  }

  ShipmentDispatched dispatched() {
    return ShipmentDispatched.newBuilder()
        .setMetadata(metadata("ShipmentDispatched", 1, "shipment", shipmentId(), 3_000))
        .setShipmentId(shipmentId())
        .setOrderId(orderId)
        .setCarrier("DHL")
        .build();
  }

  ShipmentDelivered delivered() {
    return ShipmentDelivered.newBuilder()
        .setMetadata(metadata("ShipmentDelivered", 1, "shipment", shipmentId(), 4_000))
        .setShipmentId(shipmentId())
        .setOrderId(orderId)
        .build();
  }

  private String reservationId() {
    return "res-" + orderId;
  }

  private String paymentId() {
    return "pay-" + orderId;
  }

  private String shipmentId() {
    return "shp-" + orderId;
  }

  private EventMetadata metadata(
      String type, int version, String aggregateType, String aggregateId, long afterMillis) {
    UUID id = nameUuid(orderId + "/" + type);
    return EventMetadata.newBuilder()
        .setEventId(id)
        .setEventType(type)
        .setSchemaVersion(version)
        .setAggregateType(aggregateType)
        .setAggregateId(aggregateId)
        .setCorrelationId(orderId)
        .setCausationId(null)
        .setOccurredAt(placedAt.plusMillis(afterMillis))
        .setTraceparent("00-" + id.toString().replace("-", "") + "-00f067aa0ba902b7-01")
        .build();
  }

  static UUID nameUuid(String name) {
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
  }
}
