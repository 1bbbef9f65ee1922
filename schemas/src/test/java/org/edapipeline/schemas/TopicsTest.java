package org.edapipeline.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.edapipeline.commands.CancelOrder;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.events.order.OrderPlaced;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.SagaStateChanged;
import org.junit.jupiter.api.Test;

class TopicsTest {

  @Test
  void shouldNameEveryTopicOnce() {
    List<String> names = Topics.all().stream().map(Topic::name).toList();

    assertThat(names).doesNotHaveDuplicates();
    assertThat(names)
        .startsWith(
            "order.events",
            "inventory.events",
            "payment.events",
            "shipment.events",
            "iot.readings",
            "iot.devices",
            "saga.state",
            "saga.commands",
            "iot.aggregates",
            "iot.alerts",
            "iot.late");
    names.forEach(name -> assertThat(Topics.byName(name)).isPresent());
    assertThat(Topics.byName("orders")).isEmpty();
  }

  @Test
  void shouldRouteOutboxAggregateTypesToTheirEventsTopic() {
    assertThat(Topics.forAggregateType("order")).isSameAs(Topics.ORDER_EVENTS);
    assertThat(Topics.forAggregateType("inventory")).isSameAs(Topics.INVENTORY_EVENTS);
    assertThat(Topics.forAggregateType("payment")).isSameAs(Topics.PAYMENT_EVENTS);
    assertThat(Topics.forAggregateType("shipment")).isSameAs(Topics.SHIPMENT_EVENTS);
    assertThat(Topics.outboxTopics())
        .allSatisfy(
            topic ->
                assertThat(topic.name())
                    .isEqualTo(
                        Topics.OUTBOX_ROUTE_TOPIC_REPLACEMENT.replace(
                            "${routedByValue}", topic.name().split("\\.")[0])));
    assertThatThrownBy(() -> Topics.forAggregateType("device"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'device'");
  }

  @Test
  void shouldPairEveryEventWithTheTopicOfItsAggregate() {
    assertThat(Topics.ORDER_EVENTS.valueTypes())
        .extracting(Class::getSimpleName)
        .containsExactly("OrderPlaced", "OrderConfirmed", "OrderCancelled");
    assertThat(Topics.INVENTORY_EVENTS.valueTypes())
        .extracting(Class::getSimpleName)
        .containsExactly("InventoryReserved", "InventoryReservationFailed", "InventoryReleased");
    assertThat(Topics.PAYMENT_EVENTS.valueTypes())
        .extracting(Class::getSimpleName)
        .containsExactly("PaymentProcessed", "PaymentFailed", "PaymentRefunded");
    assertThat(Topics.SHIPMENT_EVENTS.valueTypes())
        .extracting(Class::getSimpleName)
        .containsExactly("ShipmentDispatched", "ShipmentDelivered", "ShipmentFailed");
    assertThat(Topics.SAGA_COMMANDS.valueTypes())
        .extracting(Class::getSimpleName)
        .containsExactly("ReleaseInventory", "RefundPayment", "CancelOrder");
    assertThat(Topics.IOT_LATE.valueTypes()).isEqualTo(Topics.IOT_READINGS.valueTypes());
  }

  @Test
  void shouldCarryEveryRecordOfTheCatalogueOnSomeTopic() throws IOException {
    List<Class<?>> carried =
        Topics.all().stream()
            .flatMap(topic -> topic.valueTypes().stream().<Class<?>>map(type -> type))
            .distinct()
            .toList();

    List<Class<?>> catalogue = topLevelRecordClasses();
    catalogue.remove(EventMetadata.class); // the envelope, not a value of its own

    assertThat(catalogue).hasSizeGreaterThanOrEqualTo(22);
    assertThat(carried).containsExactlyInAnyOrderElementsOf(catalogue);
  }

  @Test
  void shouldCompactOnlyTheTopicsThatHoldLatestState() {
    assertThat(Topics.all().stream().filter(Topic::compacted))
        .containsExactlyInAnyOrder(Topics.IOT_DEVICES, Topics.SAGA_STATE);
    assertThat(Topics.SAGA_STATE.config())
        .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    assertThat(Topics.IOT_READINGS.config())
        .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
  }

  @Test
  void shouldCreateEveryTopicWithTheDefaultPartitionsAndStringKeysExceptDlqs() {
    assertThat(Topics.all()).allSatisfy(t -> assertThat(t.partitions()).isEqualTo(3));
    assertThat(Topics.all().stream().filter(t -> !Topics.isDlq(t)))
        .allSatisfy(t -> assertThat(t.keyType()).isEqualTo(String.class));
  }

  @Test
  void shouldDeadLetterEveryConsumedTopicToItsDlq() {
    Topic<byte[], DeadLetter> dlq = Topics.dlqOf(Topics.ORDER_EVENTS);

    assertThat(dlq.name()).isEqualTo("order.events.dlq");
    assertThat(dlq.keyType()).isEqualTo(byte[].class);
    assertThat(dlq.valueTypes()).containsExactly(DeadLetter.class);
    assertThat(dlq.config())
        .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE)
        .containsEntry(TopicConfig.RETENTION_MS_CONFIG, "1209600000")
        // a whole 1 MiB value plus its error fits
        .containsEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "2097152");
    assertThat(Topics.all())
        .contains(dlq)
        .contains(
            Topics.dlqOf(Topics.INVENTORY_EVENTS),
            Topics.dlqOf(Topics.PAYMENT_EVENTS),
            Topics.dlqOf(Topics.SHIPMENT_EVENTS),
            Topics.dlqOf(Topics.IOT_READINGS),
            Topics.dlqOf(Topics.IOT_DEVICES),
            Topics.dlqOf(Topics.SAGA_COMMANDS))
        .doesNotContain(Topics.dlqOf(Topics.SAGA_STATE));
    assertThatThrownBy(() -> Topics.dlqOf(dlq))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("order.events.dlq");
  }

  @Test
  void shouldDeadLetterUnpublishableOutboxRowsToTheCdcDlq() {
    assertThat(Topics.CDC_OUTBOX_DLQ.name()).isEqualTo("cdc.outbox.dlq");
    assertThat(Topics.isDlq(Topics.CDC_OUTBOX_DLQ)).isTrue();
    assertThat(Topics.CDC_OUTBOX_DLQ.keyType()).isEqualTo(byte[].class);
    assertThat(Topics.CDC_OUTBOX_DLQ.valueSubject(DeadLetter.class))
        .isEqualTo("cdc.outbox.dlq-value");
    assertThat(Topics.CDC_OUTBOX_DLQ.config())
        .isEqualTo(Topics.dlqOf(Topics.ORDER_EVENTS).config());
    assertThat(Topics.all()).contains(Topics.CDC_OUTBOX_DLQ);
  }

  @Test
  void shouldNameSubjectsPerRecordOnSharedTopicsAndPerTopicOtherwise() {
    assertThat(Topics.ORDER_EVENTS.valueSubject(OrderPlaced.class))
        .isEqualTo("order.events-org.edapipeline.events.order.OrderPlaced");
    assertThat(Topics.SAGA_COMMANDS.valueSubject(CancelOrder.class))
        .isEqualTo("saga.commands-org.edapipeline.commands.CancelOrder");
    assertThat(Topics.SAGA_STATE.valueSubject(SagaStateChanged.class))
        .isEqualTo("saga.state-value");
    assertThat(Topics.dlqOf(Topics.IOT_READINGS).valueSubject(DeadLetter.class))
        .isEqualTo("iot.readings.dlq-value");
    assertThat(Topics.ORDER_EVENTS.valueSchemas()).first().isEqualTo(OrderPlaced.getClassSchema());

    @SuppressWarnings({"unchecked", "rawtypes"})
    Topic<String, SpecificRecord> orders = (Topic) Topics.ORDER_EVENTS;
    assertThatThrownBy(() -> orders.valueSubject(CancelOrder.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("order.events does not carry org.edapipeline.commands.CancelOrder");
  }

  @Test
  void shouldRefuseTopicsKafkaOrTheRegistryCannotHandle() {
    assertThatThrownBy(() -> topic("orders?", List.of(OrderPlaced.class), SubjectNaming.TOPIC_NAME))
        .hasMessageContaining("Illegal Kafka topic name");
    assertThatThrownBy(
            () ->
                topic(
                    "mixed",
                    List.of(OrderPlaced.class, CancelOrder.class),
                    SubjectNaming.TOPIC_NAME))
        .hasMessageContaining("not TOPIC_NAME");
    assertThatThrownBy(() -> topic("empty", List.of(), SubjectNaming.TOPIC_NAME))
        .hasMessageContaining("at least one value type");
  }

  private static Topic<String, SpecificRecord> topic(
      String name, List<Class<? extends SpecificRecord>> valueTypes, SubjectNaming naming) {
    return new Topic<>(name, String.class, valueTypes, 3, Map.of(), naming);
  }

  /** The generated class of every .avsc's top-level record, read from the sources. */
  private static List<Class<?>> topLevelRecordClasses() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("src/main/avro"))) {
      return files
          .filter(file -> file.toString().endsWith(".avsc"))
          .map(TopicsTest::generatedClass)
          .collect(Collectors.toCollection(ArrayList::new));
    }
  }

  private static Class<?> generatedClass(Path avsc) {
    try {
      JsonNode schema = new ObjectMapper().readTree(avsc.toFile());
      return Class.forName(schema.get("namespace").asText() + "." + schema.get("name").asText());
    } catch (IOException | ClassNotFoundException e) {
      throw new AssertionError("No generated class for " + avsc, e);
    }
  }
}
