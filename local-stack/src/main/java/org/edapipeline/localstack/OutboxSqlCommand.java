package org.edapipeline.localstack;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.events.inventory.InventoryReserved;
import org.edapipeline.events.inventory.ReservedLine;
import org.edapipeline.events.order.OrderLine;
import org.edapipeline.events.order.OrderPlaced;
import org.edapipeline.events.payment.PaymentFailed;
import org.edapipeline.events.payment.PaymentProcessed;
import org.edapipeline.events.shipment.ShipmentDelivered;
import org.edapipeline.events.shipment.ShipmentDispatched;
import org.edapipeline.localstack.services.Events;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.edapipeline.schemas.serde.AvroWireSerializer;
import org.edapipeline.schemas.serde.TopicRecordNameStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code local-stack outbox-sql}: prints the SQL that inserts one saga event into the outbox, as a
 * service would, with its payload in the Confluent wire format (registered in the running stack's
 * registry), so a person can drive a saga by hand with {@code psql}.
 */
@Command(
    name = "outbox-sql",
    mixinStandardHelpOptions = true,
    description = {
      "Prints an INSERT of one saga event into the outbox (payload: Avro in the Confluent wire"
          + " format, registered in the running stack's registry). Pipe it into psql:",
      "  java -jar local-stack.jar outbox-sql --info info.json --order-id o-1 | psql -h localhost"
          + " -p <port> -U postgres shop"
    })
final class OutboxSqlCommand implements Callable<Integer> {

  /** The events this command can write, in the order a successful saga needs them. */
  enum EventType {
    OrderPlaced,
    InventoryReserved,
    PaymentProcessed,
    PaymentFailed,
    ShipmentDispatched,
    ShipmentDelivered
  }

  @Option(
      names = "--info",
      paramLabel = "FILE",
      description = "The running stack's --info file (for the registry URL).")
  Path info;

  @Option(names = "--registry-url", description = "The schema registry, instead of --info.")
  String registryUrl;

  @Option(
      names = "--event",
      defaultValue = "OrderPlaced",
      description = "One of ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
  EventType event;

  @Option(names = "--order-id", required = true, description = "The order (saga) id.")
  String orderId;

  @Override
  public Integer call() throws Exception {
    String url = registryUrl;
    if (url == null && info != null) {
      url = new ObjectMapper().readTree(info.toFile()).path("registry_url").asText(null);
    }
    if (url == null) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this), "Give --info FILE or --registry-url URL");
    }
    try (SchemaRegistryClient registry =
        new RestSchemaRegistryClient(SchemaRegistryClientConfig.builder(url).build())) {
      System.out.println(insert(registry, build(event, orderId)));
    }
    return 0;
  }

  /** The INSERT statement for {@code record}, its payload serialized through {@code registry}. */
  static String insert(SchemaRegistryClient registry, SpecificRecord record) {
    EventMetadata metadata = (EventMetadata) record.get(0);
    String topic = Topics.forAggregateType(metadata.getAggregateType()).name();
    AvroWireSerializer<SpecificRecord> serializer =
        AvroWireSerializer.builder(registry)
            .subjectNameStrategy(new TopicRecordNameStrategy())
            .build();
    byte[] payload = serializer.serialize(topic, record);
    return "INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload, correlation_id,"
        + " causation_id, traceparent, occurred_at) VALUES ('"
        + metadata.getEventId()
        + "', "
        + quote(metadata.getAggregateType())
        + ", "
        + quote(metadata.getAggregateId())
        + ", "
        + quote(metadata.getEventType())
        + ", '\\x"
        + HexFormat.of().formatHex(payload)
        + "'::bytea, "
        + quote(metadata.getCorrelationId())
        + ", NULL, "
        + quote(metadata.getTraceparent())
        + ", now());";
  }

  /** A saga event for {@code orderId}; ids of the other aggregates are derived from it. */
  static SpecificRecord build(EventType type, String orderId) {
    String reservationId = UUID.nameUUIDFromBytes(("reservation:" + orderId).getBytes()).toString();
    String paymentId = UUID.nameUUIDFromBytes(("payment:" + orderId).getBytes()).toString();
    String shipmentId = UUID.nameUUIDFromBytes(("shipment:" + orderId).getBytes()).toString();
    return switch (type) {
      case OrderPlaced ->
          OrderPlaced.newBuilder()
              .setMetadata(meta(type, 2, Events.ORDER, orderId, orderId))
              .setOrderId(orderId)
              .setCustomerId("customer-by-hand")
              .setLines(
                  List.of(
                      OrderLine.newBuilder()
                          .setSku("SKU-KEYBOARD")
                          .setQuantity(1)
                          .setUnitPriceMinor(4_999)
                          .build()))
              .setTotalAmountMinor(4_999)
              .setCurrency("EUR")
              .build();
      case InventoryReserved ->
          InventoryReserved.newBuilder()
              .setMetadata(meta(type, 1, Events.INVENTORY, reservationId, orderId))
              .setReservationId(reservationId)
              .setOrderId(orderId)
              .setLines(
                  List.of(ReservedLine.newBuilder().setSku("SKU-KEYBOARD").setQuantity(1).build()))
              .build();
      case PaymentProcessed ->
          PaymentProcessed.newBuilder()
              .setMetadata(meta(type, 1, Events.PAYMENT, paymentId, orderId))
              .setPaymentId(paymentId)
              .setOrderId(orderId)
              .setAmountMinor(4_999)
              .setCurrency("EUR")
              .build();
      case PaymentFailed ->
          PaymentFailed.newBuilder()
              .setMetadata(meta(type, 1, Events.PAYMENT, paymentId, orderId))
              .setPaymentId(paymentId)
              .setOrderId(orderId)
              .setAmountMinor(4_999)
              .setCurrency("EUR")
              .setReason("card declined (by hand)")
              .setTransientFailure(false)
              .setAttempt(1)
              .build();
      case ShipmentDispatched ->
          ShipmentDispatched.newBuilder()
              .setMetadata(meta(type, 1, Events.SHIPMENT, shipmentId, orderId))
              .setShipmentId(shipmentId)
              .setOrderId(orderId)
              .setCarrier("DHL")
              .build();
      case ShipmentDelivered ->
          ShipmentDelivered.newBuilder()
              .setMetadata(meta(type, 1, Events.SHIPMENT, shipmentId, orderId))
              .setShipmentId(shipmentId)
              .setOrderId(orderId)
              .build();
    };
  }

  private static EventMetadata meta(
      EventType type, int version, String aggregateType, String aggregateId, String orderId) {
    return Events.metadata(type.name(), version, aggregateType, aggregateId, orderId, null, null);
  }

  private static String quote(String value) {
    return value == null ? "NULL" : "'" + value.replace("'", "''") + "'";
  }
}
