package org.edapipeline.jobs.saga.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.events.inventory.InventoryReleased;
import org.edapipeline.events.inventory.InventoryReservationFailed;
import org.edapipeline.events.inventory.InventoryReserved;
import org.edapipeline.events.inventory.ReservedLine;
import org.edapipeline.events.iot.SensorReadingRecorded;
import org.edapipeline.events.order.OrderCancelled;
import org.edapipeline.events.order.OrderConfirmed;
import org.edapipeline.events.order.OrderLine;
import org.edapipeline.events.order.OrderPlaced;
import org.edapipeline.events.payment.PaymentFailed;
import org.edapipeline.events.payment.PaymentProcessed;
import org.edapipeline.events.payment.PaymentRefunded;
import org.edapipeline.events.shipment.ShipmentDelivered;
import org.edapipeline.events.shipment.ShipmentDispatched;
import org.edapipeline.events.shipment.ShipmentFailed;
import org.edapipeline.jobs.common.RecordRejectedException;
import org.edapipeline.schemas.Topics;
import org.junit.jupiter.api.Test;

class SagaEventMapperTest {

  private static final String ORDER = "order-7";
  private static final Instant AT = Instant.parse("2026-01-02T03:04:05.678Z");

  @Test
  void shouldMapEverySagaEventOfTheCatalogue() {
    List<SpecificRecord> records =
        List.of(
            OrderPlaced.newBuilder()
                .setMetadata(meta("OrderPlaced", "order", ORDER))
                .setOrderId(ORDER)
                .setCustomerId("c-1")
                .setLines(List.of(new OrderLine("sku-1", 2, 31_800L)))
                .setTotalAmountMinor(63_600)
                .setCurrency("EUR")
                .build(),
            new OrderConfirmed(meta("OrderConfirmed", "order", ORDER), ORDER),
            new OrderCancelled(meta("OrderCancelled", "order", ORDER), ORDER, "CUSTOMER_REQUEST"),
            new InventoryReserved(
                meta("InventoryReserved", "inventory", "res-1"),
                "res-1",
                ORDER,
                List.of(new ReservedLine("sku-1", 2))),
            InventoryReservationFailed.newBuilder()
                .setMetadata(meta("InventoryReservationFailed", "inventory", ORDER))
                .setOrderId(ORDER)
                .setReason("WAREHOUSE_UNAVAILABLE")
                .setTransientFailure(true)
                .build(),
            new InventoryReleased(
                meta("InventoryReleased", "inventory", "res-1"), "res-1", ORDER, "PAYMENT_FAILED"),
            new PaymentProcessed(
                meta("PaymentProcessed", "payment", "pay-1"), "pay-1", ORDER, 63_600L, "EUR"),
            new PaymentFailed(
                meta("PaymentFailed", "payment", "pay-1"),
                "pay-1",
                ORDER,
                63_600L,
                "EUR",
                "GATEWAY_TIMEOUT",
                true,
                2),
            new PaymentRefunded(
                meta("PaymentRefunded", "payment", "pay-1"),
                "pay-1",
                ORDER,
                "ref-1",
                63_600L,
                "EUR",
                "SHIPMENT_FAILED"),
            new ShipmentDispatched(
                meta("ShipmentDispatched", "shipment", "shp-1"), "shp-1", ORDER, "DHL", null),
            new ShipmentDelivered(meta("ShipmentDelivered", "shipment", "shp-1"), "shp-1", ORDER),
            new ShipmentFailed(
                meta("ShipmentFailed", "shipment", "shp-1"),
                "shp-1",
                ORDER,
                "ADDRESS_INVALID",
                false,
                1));

    List<SagaEvent> events =
        records.stream().map(r -> SagaEventMapper.map(r).orElseThrow()).toList();

    assertThat(events).extracting(e -> e.type).containsExactly(SagaEventType.values());
    for (int i = 0; i < events.size(); i++) {
      SagaEvent e = events.get(i);
      EventMetadata m = (EventMetadata) records.get(i).get(0);
      assertThat(e.eventId).isEqualTo(m.getEventId().toString());
      assertThat(e.orderId).isEqualTo(ORDER);
      assertThat(e.occurredAt).isEqualTo(AT.toEpochMilli());
      assertThat(e.causationId).isEqualTo("cause-" + m.getEventType());
      assertThat(e.traceparent).startsWith("00-");
      assertThat(e.type.recordClass()).isEqualTo(records.get(i).getClass());
      assertThat(SagaEventMapper.isSagaEvent(records.get(i).getClass())).isTrue();
    }
    assertThat(events.get(0).amountMinor).isEqualTo(63_600);
    assertThat(events.get(0).currency).isEqualTo("EUR");
    assertThat(events.get(3).reservationId).isEqualTo("res-1");
    assertThat(events.get(4).transientFailure).isTrue();
    assertThat(events.get(4).attempt).as("inventory failures carry no attempt").isZero();
    assertThat(events.get(7))
        .satisfies(
            e -> {
              assertThat(e.paymentId).isEqualTo("pay-1");
              assertThat(e.reason).isEqualTo("GATEWAY_TIMEOUT");
              assertThat(e.transientFailure).isTrue();
              assertThat(e.attempt).isEqualTo(2);
            });
    assertThat(events.get(11).transientFailure).isFalse();
    assertThat(events.get(11).shipmentId).isEqualTo("shp-1");
    assertThat(events.get(6).sourceTopicOrDefault()).isEqualTo(Topics.PAYMENT_EVENTS.name());
  }

  @Test
  void shouldNotMapRecordsThatAreNoSagaEventOrHaveNoOrderId() {
    SensorReadingRecorded reading = new SensorReadingRecorded();
    assertThat(SagaEventMapper.map(reading)).isEmpty();
    assertThat(SagaEventMapper.isSagaEvent(SensorReadingRecorded.class)).isFalse();

    OrderConfirmed blank = new OrderConfirmed(meta("OrderConfirmed", "order", " "), " ");
    assertThat(SagaEventMapper.map(blank)).isEmpty();
  }

  @Test
  void shouldRejectSagaEventsOutOfTheCataloguesDomainAsPermanent() {
    OrderPlaced.Builder order =
        OrderPlaced.newBuilder()
            .setMetadata(meta("OrderPlaced", "order", ORDER))
            .setOrderId(ORDER)
            .setCustomerId("c-1")
            .setTotalAmountMinor(100)
            .setCurrency("EUR");
    List<SpecificRecord> outOfDomain =
        List.of(
            order.setLines(List.of(new OrderLine("sku-1", -1, 50L))).build(),
            order.setLines(List.of()).build(),
            new InventoryReserved(
                meta("InventoryReserved", "inventory", "res-1"),
                "res-1",
                ORDER,
                List.of(new ReservedLine("sku-1", 0))),
            new PaymentProcessed(
                meta("PaymentProcessed", "payment", "pay-1"), "pay-1", ORDER, -5L, "EUR"));

    assertThat(outOfDomain)
        .allSatisfy(
            record ->
                assertThatThrownBy(() -> SagaEventAdapter.toSagaEvent(record))
                    .isInstanceOf(RecordRejectedException.class)
                    .hasMessageStartingWith(SagaEventAdapter.OUT_OF_DOMAIN));
    assertThat(
            SagaEventAdapter.toSagaEvent(
                    order.setLines(List.of(new OrderLine("sku-1", 1, 100L))).build())
                .type)
        .isEqualTo(SagaEventType.ORDER_PLACED);
  }

  @Test
  void shouldKeepWhereAnEventWasRead() {
    SagaEvent e =
        SagaEventMapper.map(new OrderConfirmed(meta("OrderConfirmed", "order", ORDER), ORDER))
            .orElseThrow()
            .withSource(Topics.ORDER_EVENTS.name(), 1, 99);

    assertThat(e.sourceTopicOrDefault()).isEqualTo(Topics.ORDER_EVENTS.name());
    assertThat(e.sourcePartition).isEqualTo(1);
    assertThat(e.sourceOffset).isEqualTo(99);
  }

  private static EventMetadata meta(String type, String aggregateType, String aggregateId) {
    UUID id = UUID.nameUUIDFromBytes(type.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return EventMetadata.newBuilder()
        .setEventId(id)
        .setEventType(type)
        .setSchemaVersion(1)
        .setAggregateType(aggregateType)
        .setAggregateId(aggregateId)
        .setCorrelationId(ORDER)
        .setCausationId("cause-" + type)
        .setOccurredAt(AT)
        .setTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        .build();
  }
}
