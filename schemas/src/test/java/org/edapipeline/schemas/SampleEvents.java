package org.edapipeline.schemas;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.edapipeline.commands.CancelOrder;
import org.edapipeline.commands.RefundPayment;
import org.edapipeline.commands.ReleaseInventory;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.events.inventory.InventoryReleased;
import org.edapipeline.events.inventory.InventoryReservationFailed;
import org.edapipeline.events.inventory.InventoryReserved;
import org.edapipeline.events.inventory.ReservedLine;
import org.edapipeline.events.iot.DeviceDecommissioned;
import org.edapipeline.events.iot.DeviceRegistered;
import org.edapipeline.events.iot.SensorReadingRecorded;
import org.edapipeline.events.iot.SensorSpec;
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
import org.edapipeline.outputs.AlertType;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.DeadLetterHeader;
import org.edapipeline.outputs.DlqDepthAlert;
import org.edapipeline.outputs.ErrorCategory;
import org.edapipeline.outputs.IotAlert;
import org.edapipeline.outputs.SagaStateChanged;
import org.edapipeline.outputs.SagaStatus;
import org.edapipeline.outputs.SagaStep;
import org.edapipeline.outputs.WindowAggregate;
import org.edapipeline.outputs.WindowKind;

/** One realistic instance of every record type the topics carry, built with the generated API. */
public final class SampleEvents {

  public static final Instant PLACED_AT = Instant.parse("2026-03-01T10:15:30.123Z");
  public static final String ORDER_ID = "order-1001";
  public static final String DEVICE_ID = "cold-room-7";

  private SampleEvents() {}

  public static EventMetadata metadata(String eventType, String aggregateType, String aggregateId) {
    return EventMetadata.newBuilder()
        .setEventId(
            UUID.nameUUIDFromBytes((eventType + aggregateId).getBytes(StandardCharsets.UTF_8)))
        .setEventType(eventType)
        .setSchemaVersion(1)
        .setAggregateType(aggregateType)
        .setAggregateId(aggregateId)
        .setCorrelationId(ORDER_ID)
        .setCausationId(null)
        .setOccurredAt(PLACED_AT)
        .setTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        .build();
  }

  public static OrderPlaced orderPlaced() {
    return OrderPlaced.newBuilder()
        .setMetadata(withVersion(metadata("OrderPlaced", "order", ORDER_ID), 2))
        .setOrderId(ORDER_ID)
        .setCustomerId("customer-42")
        .setLines(List.of(new OrderLine("SKU-APPLE", 3, 129L), new OrderLine("SKU-PEAR", 1, 249L)))
        .setTotalAmountMinor(3 * 129L + 249L)
        .setCurrency("EUR")
        .setCouponCode("SPRING10")
        .build();
  }

  /** Every sample, one per record type carried by a topic. */
  public static List<SpecificRecord> all() {
    UUID commandId = UUID.nameUUIDFromBytes("ReleaseInventory".getBytes(StandardCharsets.UTF_8));
    Instant later = PLACED_AT.plusSeconds(90);
    return List.of(
        orderPlaced(),
        new OrderConfirmed(metadata("OrderConfirmed", "order", ORDER_ID), ORDER_ID),
        new OrderCancelled(
            metadata("OrderCancelled", "order", ORDER_ID), ORDER_ID, "PAYMENT_FAILED"),
        InventoryReserved.newBuilder()
            .setMetadata(metadata("InventoryReserved", "inventory", "reservation-7"))
            .setReservationId("reservation-7")
            .setOrderId(ORDER_ID)
            .setLines(List.of(new ReservedLine("SKU-APPLE", 3), new ReservedLine("SKU-PEAR", 1)))
            .build(),
        InventoryReservationFailed.newBuilder()
            .setMetadata(metadata("InventoryReservationFailed", "inventory", ORDER_ID))
            .setOrderId(ORDER_ID)
            .setReason("OUT_OF_STOCK")
            .setTransientFailure(false)
            .setUnavailableSkus(List.of("SKU-PEAR"))
            .build(),
        new InventoryReleased(
            metadata("InventoryReleased", "inventory", "reservation-7"),
            "reservation-7",
            ORDER_ID,
            "PAYMENT_FAILED"),
        new PaymentProcessed(
            metadata("PaymentProcessed", "payment", "payment-3"),
            "payment-3",
            ORDER_ID,
            636L,
            "EUR"),
        new PaymentFailed(
            metadata("PaymentFailed", "payment", "payment-3"),
            "payment-3",
            ORDER_ID,
            636L,
            "EUR",
            "GATEWAY_TIMEOUT",
            true,
            2),
        new PaymentRefunded(
            metadata("PaymentRefunded", "payment", "payment-3"),
            "payment-3",
            ORDER_ID,
            "refund-9",
            636L,
            "EUR",
            "SHIPMENT_FAILED"),
        new ShipmentDispatched(
            metadata("ShipmentDispatched", "shipment", "shipment-5"),
            "shipment-5",
            ORDER_ID,
            "DHL",
            "JJD000390007"),
        new ShipmentDelivered(
            metadata("ShipmentDelivered", "shipment", "shipment-5"), "shipment-5", ORDER_ID),
        new ShipmentFailed(
            metadata("ShipmentFailed", "shipment", "shipment-5"),
            "shipment-5",
            ORDER_ID,
            "ADDRESS_INVALID",
            false,
            1),
        new SensorReadingRecorded(
            metadata("SensorReadingRecorded", "device", DEVICE_ID),
            DEVICE_ID,
            "temperature",
            4.5,
            "Cel",
            PLACED_AT.minusMillis(40)),
        DeviceRegistered.newBuilder()
            .setMetadata(metadata("DeviceRegistered", "device", DEVICE_ID))
            .setDeviceId(DEVICE_ID)
            .setDeviceType("cold-room-monitor")
            .setReportingIntervalMillis(Duration.ofSeconds(10).toMillis())
            .setSensors(
                List.of(
                    SensorSpec.newBuilder()
                        .setSensorType("temperature")
                        .setUnit("Cel")
                        .setPhysicalMin(-40.0)
                        .setPhysicalMax(85.0)
                        .setAlertAbove(8.0)
                        .build(),
                    new SensorSpec("humidity", "%", 0.0, 100.0, 20.0, 90.0)))
            .build(),
        new DeviceDecommissioned(
            metadata("DeviceDecommissioned", "device", DEVICE_ID), DEVICE_ID, null),
        SagaStateChanged.newBuilder()
            .setMetadata(metadata("SagaStateChanged", "saga", ORDER_ID))
            .setOrderId(ORDER_ID)
            .setStatus(SagaStatus.COMPENSATING)
            .setPreviousStatus(SagaStatus.INVENTORY_RESERVED)
            .setHistory(
                List.of(
                    new SagaStep(SagaStatus.STARTED, PLACED_AT),
                    new SagaStep(SagaStatus.INVENTORY_RESERVED, PLACED_AT.plusSeconds(2)),
                    new SagaStep(SagaStatus.COMPENSATING, later)))
            .setStartedAt(PLACED_AT)
            .setElapsedMillis(90_000L)
            .setPreviousStatusMillis(88_000L)
            .setTriggeringEventId(UUID.nameUUIDFromBytes(new byte[] {1}))
            .setReason("PAYMENT_FAILED")
            .build(),
        new ReleaseInventory(
            metadata("ReleaseInventory", "saga", ORDER_ID),
            commandId,
            ORDER_ID,
            "reservation-7",
            "PAYMENT_FAILED"),
        new RefundPayment(
            metadata("RefundPayment", "saga", ORDER_ID),
            commandId,
            ORDER_ID,
            "payment-3",
            636L,
            "EUR",
            "SHIPMENT_FAILED"),
        new CancelOrder(
            metadata("CancelOrder", "saga", ORDER_ID), commandId, ORDER_ID, "SAGA_TIMED_OUT"),
        WindowAggregate.newBuilder()
            .setMetadata(metadata("WindowAggregate", "device", DEVICE_ID))
            .setDeviceId(DEVICE_ID)
            .setSensorType("temperature")
            .setUnit("Cel")
            .setWindowKind(WindowKind.TUMBLING)
            .setWindowStart(Instant.parse("2026-03-01T10:15:00Z"))
            .setWindowEnd(Instant.parse("2026-03-01T10:16:00Z"))
            .setCount(6)
            .setMin(4.1)
            .setMax(5.0)
            .setMean(4.5)
            .setSum(27.0)
            .setP95(4.95)
            .setRevision(1)
            .setIsCorrection(true)
            .build(),
        IotAlert.newBuilder()
            .setMetadata(metadata("IotAlert", "device", DEVICE_ID))
            .setDeviceId(DEVICE_ID)
            .setAlertType(AlertType.DEVICE_SILENT)
            .setWindowStart(PLACED_AT)
            .setWindowEnd(PLACED_AT.plusSeconds(30))
            .setConsecutiveWindows(3)
            .build(),
        DlqDepthAlert.newBuilder()
            .setMetadata(metadata("DlqDepthAlert", "dlq", Topics.dlqOf(Topics.ORDER_EVENTS).name()))
            .setDlqTopic(Topics.dlqOf(Topics.ORDER_EVENTS).name())
            .setSourceTopic(Topics.ORDER_EVENTS.name())
            .setDepth(57)
            .setThreshold(50)
            .setRetainedRecords(60)
            .setRecentByCategory(Map.of("POISON", 4L, "TRANSIENT", 1L))
            .setDetectedAt(later)
            .build(),
        DeadLetter.newBuilder()
            .setOriginalKey(ByteBuffer.wrap(ORDER_ID.getBytes(StandardCharsets.UTF_8)))
            .setOriginalValue(ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 7, (byte) 0xFF}))
            .setOriginalHeaders(
                List.of(
                    new DeadLetterHeader(
                        "traceparent",
                        ByteBuffer.wrap("00-abc-def-01".getBytes(StandardCharsets.UTF_8))),
                    new DeadLetterHeader("empty", null)))
            .setSourceTopic(Topics.ORDER_EVENTS.name())
            .setSourcePartition(2)
            .setSourceOffset(4711L)
            .setSourceTimestamp(PLACED_AT)
            .setJobName("saga-correlation")
            .setOperatorUid("saga-decode")
            .setErrorCategory(ErrorCategory.POISON)
            .setErrorClass("org.apache.avro.AvroRuntimeException")
            .setErrorMessage("Malformed data. Length is negative: -64")
            .setStackTrace("org.apache.avro.AvroRuntimeException: Malformed data...\n\tat ...")
            .setAttemptCount(1)
            .setFirstFailureAt(later)
            .setLastFailureAt(later)
            .build());
  }

  private static EventMetadata withVersion(EventMetadata metadata, int schemaVersion) {
    return EventMetadata.newBuilder(metadata).setSchemaVersion(schemaVersion).build();
  }
}
