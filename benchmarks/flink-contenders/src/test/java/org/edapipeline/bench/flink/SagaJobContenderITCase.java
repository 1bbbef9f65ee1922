package org.edapipeline.bench.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.edapipeline.bench.contract.ContenderSpec;
import org.edapipeline.embedded.junit.KafkaExtension;
import org.edapipeline.embedded.junit.SchemaRegistryExtension;
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
import org.edapipeline.outputs.SagaStateChanged;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.edapipeline.schemas.serde.AvroWireSerializer;
import org.edapipeline.schemas.serde.TopicRecordNameStrategy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our saga job as a contender: a handful of sagas (completed, and compensated after a payment
 * failure) over the four event topics give exactly the expected status changes and commands.
 */
class SagaJobContenderITCase {

  @RegisterExtension
  @Order(1)
  static final KafkaExtension KAFKA = new KafkaExtension();

  @RegisterExtension
  @Order(2)
  static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension(KAFKA);

  private static final int COMPLETED = 4;
  private static final int COMPENSATED = 2;
  private static final long AMOUNT = 1_000;
  private static final String CURRENCY = "EUR";

  private static SchemaRegistryClient registry;

  @TempDir Path workDirs;

  @BeforeAll
  static void connectRegistry() {
    registry =
        new RestSchemaRegistryClient(SchemaRegistryClientConfig.builder(REGISTRY.url()).build());
  }

  @AfterAll
  static void closeRegistry() {
    registry.close();
  }

  @Test
  void shouldDriveEverySagaToItsEndAndSendTheCompensations() throws Exception {
    List<Topic<?, ?>> topics =
        List.of(
            Topics.ORDER_EVENTS,
            Topics.INVENTORY_EVENTS,
            Topics.PAYMENT_EVENTS,
            Topics.SHIPMENT_EVENTS,
            Topics.SAGA_STATE,
            Topics.SAGA_COMMANDS);
    List<NewTopic> fresh = new ArrayList<>();
    for (Topic<?, ?> t : topics) {
      fresh.add(new NewTopic(t.name(), t.partitions(), (short) 1).configs(t.config()));
      fresh.add(new NewTopic(Topics.dlqOf(t).name(), t.partitions(), (short) 1));
    }
    KAFKA.recreateTopics(fresh);

    Map<String, List<String>> expectedStatuses = new TreeMap<>();
    List<Published> input = new ArrayList<>();
    for (int i = 0; i < COMPLETED + COMPENSATED; i++) {
      Saga saga = new Saga("order-" + i);
      if (i < COMPLETED) {
        input.addAll(
            List.of(
                saga.placed(), saga.reserved(), saga.paid(), saga.dispatched(), saga.delivered()));
        expectedStatuses.put(
            saga.orderId,
            List.of("STARTED", "INVENTORY_RESERVED", "PAYMENT_PROCESSED", "SHIPPED", "COMPLETED"));
      } else {
        input.addAll(
            List.of(saga.placed(), saga.reserved(), saga.paymentFailed(), saga.released()));
        expectedStatuses.put(
            saga.orderId, List.of("STARTED", "INVENTORY_RESERVED", "COMPENSATING", "COMPENSATED"));
      }
    }
    write(input);

    String runId = "saga-job-rocksdb-eo";
    ContenderSpec spec =
        ContenderSpec.of(
            Map.of(
                ContenderSpec.CONTENDER, runId,
                ContenderSpec.RUN_ID, runId,
                ContenderSpec.WORK_DIR, workDirs.resolve(runId).toString(),
                ContenderSpec.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
                ContenderSpec.SCHEMA_REGISTRY_URL, REGISTRY.url(),
                ContenderSpec.INPUT_TOPICS,
                    String.join(
                        ",",
                        Topics.ORDER_EVENTS.name(),
                        Topics.INVENTORY_EVENTS.name(),
                        Topics.PAYMENT_EVENTS.name(),
                        Topics.SHIPMENT_EVENTS.name()),
                ContenderSpec.OUTPUT_TOPICS,
                    Topics.SAGA_STATE.name() + "," + Topics.SAGA_COMMANDS.name(),
                ContenderSpec.PARTITIONS, Integer.toString(Topics.ORDER_EVENTS.partitions()),
                ContenderSpec.CHECKPOINT_INTERVAL_MS, "1000"));

    int expectedChanges = expectedStatuses.values().stream().mapToInt(List::size).sum();
    try (ContenderJvm contender = ContenderJvm.start(SagaJobContender.class, spec)) {
      contender.awaitReady(Duration.ofSeconds(120));
      List<SagaStateChanged> changes =
          CommittedOutput.read(
              KAFKA,
              Topics.SAGA_STATE.name(),
              CommittedOutput.decoder(registry, SagaStateChanged.class),
              expectedChanges,
              Duration.ofSeconds(120),
              Duration.ofSeconds(3));
      List<SpecificRecord> commands =
          CommittedOutput.read(
              KAFKA,
              Topics.SAGA_COMMANDS.name(),
              CommittedOutput.anyRecord(registry),
              2 * COMPENSATED,
              Duration.ofSeconds(30),
              Duration.ofSeconds(1));
      assertThat(contender.isAlive()).isTrue();
      Map<String, String> metrics = contender.stop();

      // One partition per order id: each order's changes come in the order they were written.
      Map<String, List<String>> statuses = new TreeMap<>();
      for (SagaStateChanged change : changes) {
        statuses
            .computeIfAbsent(change.getOrderId(), k -> new ArrayList<>())
            .add(change.getStatus().name());
      }
      assertThat(statuses).isEqualTo(expectedStatuses);
      assertThat(
              commands.stream()
                  .map(c -> c.getSchema().getName() + "/" + orderIdOf(c))
                  .sorted()
                  .toList())
          .isEqualTo(
              expectedStatuses.entrySet().stream()
                  .filter(e -> e.getValue().contains("COMPENSATED"))
                  .flatMap(
                      e ->
                          List.of("CancelOrder/" + e.getKey(), "ReleaseInventory/" + e.getKey())
                              .stream())
                  .sorted()
                  .toList());
      assertThat(Long.parseLong(metrics.get("checkpoint.count"))).isPositive();
      assertThat(metrics)
          .containsKeys(
              "checkpoint.duration.p50.ms",
              "checkpoint.duration.max.ms",
              "checkpoint.size.bytes",
              "state.size.bytes");
    }
  }

  private static String orderIdOf(SpecificRecord record) {
    return String.valueOf(record.get(record.getSchema().getField("orderId").pos()));
  }

  private void write(List<Published> records) throws Exception {
    AvroWireSerializer<SpecificRecord> serializer =
        AvroWireSerializer.builder(registry)
            .subjectNameStrategy(new TopicRecordNameStrategy())
            .autoRegister(true)
            .build();
    Map<String, Object> config = KAFKA.clientConfig();
    config.put("enable.idempotence", "true");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (Published p : records) {
        producer.send(
            new ProducerRecord<>(
                p.topic().name(),
                p.key().getBytes(StandardCharsets.UTF_8),
                serializer.serialize(p.topic().name(), p.value())));
      }
      producer.flush();
    }
  }

  /** One record as a service's outbox publishes it. */
  private record Published(Topic<String, ?> topic, String key, SpecificRecord value) {}

  /** The events of one order's saga, with deterministic ids. */
  private static final class Saga {
    private final String orderId;
    private final Instant placedAt = Instant.now().minus(Duration.ofMinutes(5));

    Saga(String orderId) {
      this.orderId = orderId;
    }

    Published placed() {
      return new Published(
          Topics.ORDER_EVENTS,
          orderId,
          OrderPlaced.newBuilder()
              .setMetadata(meta("OrderPlaced", "order", orderId, 0))
              .setOrderId(orderId)
              .setCustomerId("customer-" + orderId)
              .setLines(List.of(new OrderLine("sku-1", 2, AMOUNT / 2)))
              .setTotalAmountMinor(AMOUNT)
              .setCurrency(CURRENCY)
              .build());
    }

    Published reserved() {
      return new Published(
          Topics.INVENTORY_EVENTS,
          "res-" + orderId,
          new InventoryReserved(
              meta("InventoryReserved", "inventory", "res-" + orderId, 1_000),
              "res-" + orderId,
              orderId,
              List.of(new ReservedLine("sku-1", 2))));
    }

    Published released() {
      return new Published(
          Topics.INVENTORY_EVENTS,
          "res-" + orderId,
          new InventoryReleased(
              meta("InventoryReleased", "inventory", "res-" + orderId, 9_000),
              "res-" + orderId,
              orderId,
              "COMPENSATION"));
    }

    Published paid() {
      return new Published(
          Topics.PAYMENT_EVENTS,
          "pay-" + orderId,
          new PaymentProcessed(
              meta("PaymentProcessed", "payment", "pay-" + orderId, 2_000),
              "pay-" + orderId,
              orderId,
              AMOUNT,
              CURRENCY));
    }

    Published paymentFailed() {
      return new Published(
          Topics.PAYMENT_EVENTS,
          "pay-" + orderId,
          new PaymentFailed(
              meta("PaymentFailed", "payment", "pay-" + orderId, 1_900),
              "pay-" + orderId,
              orderId,
              AMOUNT,
              CURRENCY,
              "CARD_DECLINED",
              false,
              1));
    }

    Published dispatched() {
      return new Published(
          Topics.SHIPMENT_EVENTS,
          "shp-" + orderId,
          new ShipmentDispatched(
              meta("ShipmentDispatched", "shipment", "shp-" + orderId, 3_000),
              "shp-" + orderId,
              orderId,
              "DHL",
              null));
    }

    Published delivered() {
      return new Published(
          Topics.SHIPMENT_EVENTS,
          "shp-" + orderId,
          new ShipmentDelivered(
              meta("ShipmentDelivered", "shipment", "shp-" + orderId, 4_000),
              "shp-" + orderId,
              orderId));
    }

    private EventMetadata meta(String type, String aggregateType, String aggregateId, long at) {
      UUID id = UUID.nameUUIDFromBytes((orderId + "/" + type).getBytes(StandardCharsets.UTF_8));
      return EventMetadata.newBuilder()
          .setEventId(id)
          .setEventType(type)
          .setSchemaVersion(1)
          .setAggregateType(aggregateType)
          .setAggregateId(aggregateId)
          .setCorrelationId(orderId)
          .setCausationId(null)
          .setOccurredAt(placedAt.plusMillis(at))
          .setTraceparent(null)
          .build();
    }
  }
}
