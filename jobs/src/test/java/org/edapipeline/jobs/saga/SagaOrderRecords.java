package org.edapipeline.jobs.saga;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.events.inventory.InventoryReleased;
import org.edapipeline.events.inventory.InventoryReserved;
import org.edapipeline.events.inventory.ReservedLine;
import org.edapipeline.events.order.OrderConfirmed;
import org.edapipeline.events.order.OrderLine;
import org.edapipeline.events.order.OrderPlaced;
import org.edapipeline.events.payment.PaymentFailed;
import org.edapipeline.events.payment.PaymentProcessed;
import org.edapipeline.events.payment.PaymentRefunded;
import org.edapipeline.events.shipment.ShipmentDelivered;
import org.edapipeline.events.shipment.ShipmentDispatched;
import org.edapipeline.events.shipment.ShipmentFailed;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;

/**
 * The catalogue records the services publish for one order, as the outbox writes them: topic, Kafka
 * key (the aggregate id) and Avro value, with deterministic event ids (the same call gives the same
 * id, so sending a record twice is a redelivery) and occurredAt a fixed offset after the order.
 */
public final class SagaOrderRecords {

  /** occurredAt of every order's OrderPlaced. */
  public static final Instant PLACED_AT = Instant.parse("2026-03-01T10:00:00Z");

  private static final long AMOUNT = 63_600;
  private static final String CURRENCY = "EUR";

  /** One record as a service publishes it. */
  public record Published(Topic<String, SpecificRecord> topic, String key, SpecificRecord value) {

    /** The record's metadata. */
    public EventMetadata metadata() {
      return (EventMetadata) value.get(value.getSchema().getField("metadata").pos());
    }
  }

  private final String orderId;

  public SagaOrderRecords(String orderId) {
    this.orderId = orderId;
  }

  public String orderId() {
    return orderId;
  }

  /** The event id of the event of {@code type} (with {@code discriminator} for repeated kinds). */
  public UUID id(String type, String discriminator) {
    return UUID.nameUUIDFromBytes(
        (orderId + "/" + type + discriminator).getBytes(StandardCharsets.UTF_8));
  }

  public Published placed() {
    return order(
        OrderPlaced.newBuilder()
            .setMetadata(meta("OrderPlaced", "", "order", orderId, 0))
            .setOrderId(orderId)
            .setCustomerId("customer-" + orderId)
            .setLines(List.of(new OrderLine("sku-1", 2, AMOUNT / 2)))
            .setTotalAmountMinor(AMOUNT)
            .setCurrency(CURRENCY)
            .build());
  }

  public Published confirmed() {
    return order(new OrderConfirmed(meta("OrderConfirmed", "", "order", orderId, 2_500), orderId));
  }

  public Published reserved() {
    return new Published(
        Topics.INVENTORY_EVENTS,
        reservationId(),
        new InventoryReserved(
            meta("InventoryReserved", "", "inventory", reservationId(), 1_000),
            reservationId(),
            orderId,
            List.of(new ReservedLine("sku-1", 2))));
  }

  public Published released() {
    return new Published(
        Topics.INVENTORY_EVENTS,
        reservationId(),
        new InventoryReleased(
            meta("InventoryReleased", "", "inventory", reservationId(), 9_000),
            reservationId(),
            orderId,
            "COMPENSATION"));
  }

  public Published paid() {
    return payment(
        new PaymentProcessed(
            meta("PaymentProcessed", "", "payment", paymentId(), 2_000),
            paymentId(),
            orderId,
            AMOUNT,
            CURRENCY));
  }

  public Published paymentFailed(boolean transientFailure, int attempt) {
    return payment(
        new PaymentFailed(
            meta("PaymentFailed", "#" + attempt, "payment", paymentId(), 1_900 + attempt),
            paymentId(),
            orderId,
            AMOUNT,
            CURRENCY,
            transientFailure ? "GATEWAY_TIMEOUT" : "CARD_DECLINED",
            transientFailure,
            attempt));
  }

  public Published refunded() {
    return payment(
        new PaymentRefunded(
            meta("PaymentRefunded", "", "payment", paymentId(), 9_500),
            paymentId(),
            orderId,
            "refund-" + orderId,
            AMOUNT,
            CURRENCY,
            "COMPENSATION"));
  }

  public Published dispatched() {
    return shipment(
        new ShipmentDispatched(
            meta("ShipmentDispatched", "", "shipment", shipmentId(), 3_000),
            shipmentId(),
            orderId,
            "DHL",
            null));
  }

  public Published shipmentFailed(boolean transientFailure, int attempt) {
    return shipment(
        new ShipmentFailed(
            meta("ShipmentFailed", "#" + attempt, "shipment", shipmentId(), 2_900 + attempt),
            shipmentId(),
            orderId,
            transientFailure ? "CARRIER_UNAVAILABLE" : "ADDRESS_INVALID",
            transientFailure,
            attempt));
  }

  public Published delivered() {
    return shipment(
        new ShipmentDelivered(
            meta("ShipmentDelivered", "", "shipment", shipmentId(), 4_000), shipmentId(), orderId));
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

  private Published order(SpecificRecord value) {
    return new Published(Topics.ORDER_EVENTS, orderId, value);
  }

  private Published payment(SpecificRecord value) {
    return new Published(Topics.PAYMENT_EVENTS, paymentId(), value);
  }

  private Published shipment(SpecificRecord value) {
    return new Published(Topics.SHIPMENT_EVENTS, shipmentId(), value);
  }

  private EventMetadata meta(
      String type, String discriminator, String aggregateType, String aggregateId, long offset) {
    UUID id = id(type, discriminator);
    return EventMetadata.newBuilder()
        .setEventId(id)
        .setEventType(type)
        .setSchemaVersion(1)
        .setAggregateType(aggregateType)
        .setAggregateId(aggregateId)
        .setCorrelationId(orderId)
        .setCausationId(type.equals("OrderPlaced") ? null : id("OrderPlaced", "").toString())
        .setOccurredAt(PLACED_AT.plusMillis(offset))
        .setTraceparent("00-" + id.toString().replace("-", "") + "-00f067aa0ba902b7-01")
        .build();
  }
}
