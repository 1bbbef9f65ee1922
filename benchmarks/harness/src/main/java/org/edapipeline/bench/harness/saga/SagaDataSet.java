package org.edapipeline.bench.harness.saga;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
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
import org.edapipeline.outputs.SagaStatus;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;

/**
 * The saga suite's input: {@code orders} whole sagas, deterministic. Of every 20 orders, 17
 * complete (OrderPlaced, InventoryReserved, PaymentProcessed, ShipmentDispatched,
 * ShipmentDelivered: 85%) and 3 fail at payment (OrderPlaced, InventoryReserved, a permanent
 * PaymentFailed, and the InventoryReleased that acknowledges the compensation's ReleaseInventory:
 * 15%, ending COMPENSATED). No saga waits for a deadline, so completion never depends on the wall
 * clock. Event ids are name-based UUIDs of the order id and the event type; event times lie in the
 * recent past, one second apart per step.
 */
public final class SagaDataSet {

  private static final long AMOUNT = 4_999;
  private static final String CURRENCY = "EUR";
  private static final String SKU = "SKU-BENCH";

  private final int orders;
  private final Instant base;

  /** {@code orders} sagas, the first placed at {@code base}. */
  public SagaDataSet(int orders, Instant base) {
    if (orders < 1) {
      throw new IllegalArgumentException("saga: orders must be positive: " + orders);
    }
    this.orders = orders;
    this.base = base;
  }

  public int orders() {
    return orders;
  }

  /** The order id of saga {@code i}. */
  public static String orderId(int i) {
    return String.format("bench-order-%07d", i);
  }

  /** Whether saga {@code i} fails at payment (3 of every 20). */
  public static boolean paymentFails(int i) {
    return i % 20 >= 17;
  }

  /** The terminal status saga {@code i} must reach. */
  public static SagaStatus expectedStatus(int i) {
    return paymentFails(i) ? SagaStatus.COMPENSATED : SagaStatus.COMPLETED;
  }

  /** Input events of all sagas. */
  public long events() {
    long failing = 0;
    for (int i = 0; i < orders; i++) {
      failing += paymentFails(i) ? 1 : 0;
    }
    return (orders - failing) * 5 + failing * 4;
  }

  /** One input event and the topic it goes to. */
  public record Event(
      Topic<?, ?> topic, String key, SpecificRecord value, EventMetadata metadata) {}

  /** The events of saga {@code i}, in the order the services would emit them. */
  public List<Event> saga(int i) {
    String order = orderId(i);
    Instant placed = base.plusMillis(i * 10L);
    List<Event> events = new ArrayList<>(5);
    EventMetadata m = meta(order, "OrderPlaced", "order", order, placed);
    events.add(
        new Event(
            Topics.ORDER_EVENTS,
            order,
            OrderPlaced.newBuilder()
                .setMetadata(m)
                .setOrderId(order)
                .setCustomerId("customer-" + (i % 1000))
                .setLines(
                    List.of(
                        OrderLine.newBuilder()
                            .setSku(SKU)
                            .setQuantity(1)
                            .setUnitPriceMinor(AMOUNT)
                            .build()))
                .setTotalAmountMinor(AMOUNT)
                .setCurrency(CURRENCY)
                .setCouponCode(null)
                .build(),
            m));
    String reservation = "res-" + order;
    m = meta(order, "InventoryReserved", "inventory", reservation, placed.plusSeconds(1));
    events.add(
        new Event(
            Topics.INVENTORY_EVENTS,
            reservation,
            InventoryReserved.newBuilder()
                .setMetadata(m)
                .setReservationId(reservation)
                .setOrderId(order)
                .setLines(List.of(ReservedLine.newBuilder().setSku(SKU).setQuantity(1).build()))
                .build(),
            m));
    String payment = "pay-" + order;
    if (paymentFails(i)) {
      m = meta(order, "PaymentFailed", "payment", payment, placed.plusSeconds(2));
      events.add(
          new Event(
              Topics.PAYMENT_EVENTS,
              payment,
              PaymentFailed.newBuilder()
                  .setMetadata(m)
                  .setPaymentId(payment)
                  .setOrderId(order)
                  .setAmountMinor(AMOUNT)
                  .setCurrency(CURRENCY)
                  .setReason("CARD_DECLINED")
                  .setTransientFailure(false)
                  .setAttempt(1)
                  .build(),
              m));
      m = meta(order, "InventoryReleased", "inventory", reservation, placed.plusSeconds(3));
      events.add(
          new Event(
              Topics.INVENTORY_EVENTS,
              reservation,
              InventoryReleased.newBuilder()
                  .setMetadata(m)
                  .setReservationId(reservation)
                  .setOrderId(order)
                  .setReason("PAYMENT_FAILED")
                  .build(),
              m));
      return events;
    }
    m = meta(order, "PaymentProcessed", "payment", payment, placed.plusSeconds(2));
    events.add(
        new Event(
            Topics.PAYMENT_EVENTS,
            payment,
            PaymentProcessed.newBuilder()
                .setMetadata(m)
                .setPaymentId(payment)
                .setOrderId(order)
                .setAmountMinor(AMOUNT)
                .setCurrency(CURRENCY)
                .build(),
            m));
    String shipment = "shp-" + order;
    m = meta(order, "ShipmentDispatched", "shipment", shipment, placed.plusSeconds(3));
    events.add(
        new Event(
            Topics.SHIPMENT_EVENTS,
            shipment,
            ShipmentDispatched.newBuilder()
                .setMetadata(m)
                .setShipmentId(shipment)
                .setOrderId(order)
                .setCarrier("DHL")
                .setTrackingNumber(null)
                .build(),
            m));
    m = meta(order, "ShipmentDelivered", "shipment", shipment, placed.plusSeconds(4));
    events.add(
        new Event(
            Topics.SHIPMENT_EVENTS,
            shipment,
            ShipmentDelivered.newBuilder()
                .setMetadata(m)
                .setShipmentId(shipment)
                .setOrderId(order)
                .build(),
            m));
    return events;
  }

  private static EventMetadata meta(
      String order, String type, String aggregateType, String aggregateId, Instant at) {
    UUID id = UUID.nameUUIDFromBytes((order + "/" + type).getBytes(StandardCharsets.UTF_8));
    return EventMetadata.newBuilder()
        .setEventId(id)
        .setEventType(type)
        .setSchemaVersion(1)
        .setAggregateType(aggregateType)
        .setAggregateId(aggregateId)
        .setCorrelationId(order)
        .setCausationId(null)
        .setOccurredAt(at)
        .setTraceparent(traceparent(order, id))
        .build();
  }

  /**
   * A W3C traceparent as a traced service writes it: one trace per saga (its order), a span per
   * event; deterministic, so every run reads the same bytes.
   */
  static String traceparent(String order, UUID eventId) {
    UUID trace = UUID.nameUUIDFromBytes(("trace/" + order).getBytes(StandardCharsets.UTF_8));
    return String.format(
        "00-%016x%016x-%016x-01",
        trace.getMostSignificantBits(),
        trace.getLeastSignificantBits(),
        eventId.getLeastSignificantBits());
  }
}
