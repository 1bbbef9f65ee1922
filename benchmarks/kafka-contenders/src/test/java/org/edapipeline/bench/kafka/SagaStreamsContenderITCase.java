package org.edapipeline.bench.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.edapipeline.bench.contract.ContenderSpec;
import org.edapipeline.bench.kafka.saga.SagaDeadlines;
import org.edapipeline.bench.kafka.saga.SagaSettings;
import org.edapipeline.commands.CancelOrder;
import org.edapipeline.commands.ReleaseInventory;
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
import org.edapipeline.outputs.SagaStatus;
import org.edapipeline.schemas.EventHeaders;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.serde.AvroWireDeserializer;
import org.edapipeline.schemas.serde.TopicRecordNameStrategy;
import org.junit.jupiter.api.Test;

/**
 * The Kafka Streams saga reaches our job's statuses and commands: completed and payment-failed
 * sagas, their events shuffled over the four topics (a delivery before its dispatch, a release
 * before the payment failure…), every saga's OrderPlaced published twice, plus an undecodable
 * record.
 */
class SagaStreamsContenderITCase extends ContenderTestBase {

  private static final List<Topic<String, SpecificRecord>> INPUTS = Topics.outboxTopics();
  private static final long T0 = Instant.now().minusSeconds(3600).toEpochMilli();

  private final Map<Topic<String, SpecificRecord>, List<Map.Entry<String, SpecificRecord>>>
      byTopic = new LinkedHashMap<>();
  private final List<Map.Entry<Topic<String, SpecificRecord>, Map.Entry<String, SpecificRecord>>>
      events = new ArrayList<>();

  @Test
  void shouldReachOurStatusesAndCommandsInAnyArrivalOrder() throws Exception {
    Map<String, List<SagaStatus>> expected = new HashMap<>();
    Map<String, String> paymentFailureIds = new HashMap<>();
    for (int i = 0; i < 4; i++) {
      String order = completed(i);
      expected.put(
          order,
          List.of(
              SagaStatus.STARTED,
              SagaStatus.INVENTORY_RESERVED,
              SagaStatus.PAYMENT_PROCESSED,
              SagaStatus.SHIPPED,
              SagaStatus.COMPLETED));
    }
    for (int i = 0; i < 3; i++) {
      String failureId = UUID.randomUUID().toString();
      String order = paymentFailed(i, failureId);
      paymentFailureIds.put(order, failureId);
      expected.put(
          order,
          List.of(
              SagaStatus.STARTED,
              SagaStatus.INVENTORY_RESERVED,
              SagaStatus.COMPENSATING,
              SagaStatus.COMPENSATED));
    }
    int stateChanges = expected.values().stream().mapToInt(List::size).sum();
    int commands = 2 * paymentFailureIds.size();
    Outputs out = run(SagaDeadlines.DEFAULTS, stateChanges, commands);
    List<ConsumerRecord<String, SagaStateChanged>> states = out.states();
    List<ConsumerRecord<String, SpecificRecord>> sent = out.commands();

    Map<String, List<SagaStatus>> actual =
        states.stream()
            .collect(
                Collectors.groupingBy(
                    ConsumerRecord::key,
                    Collectors.mapping(r -> r.value().getStatus(), Collectors.toList())));
    assertThat(actual).isEqualTo(expected);
    assertThat(states)
        .allSatisfy(
            r -> {
              assertThat(r.value().getOrderId()).isEqualTo(r.key());
              assertThat(r.value().getHistory())
                  .hasSize(expected.get(r.key()).indexOf(r.value().getStatus()) + 1);
              assertThat(
                      new String(
                          r.headers().lastHeader(EventHeaders.CORRELATION_ID).value(),
                          StandardCharsets.UTF_8))
                  .isEqualTo(r.key());
            });
    assertThat(sent).hasSize(commands);
    for (Map.Entry<String, String> failed : paymentFailureIds.entrySet()) {
      String order = failed.getKey();
      // Deterministic ids, as our job derives them: order, command type, cause.
      assertThat(sent)
          .filteredOn(r -> r.key().equals(order))
          .extracting(r -> r.value().getClass().getSimpleName() + "/" + commandId(r.value()))
          .containsExactlyInAnyOrder(
              "ReleaseInventory/" + nameUuid(order, "ReleaseInventory", failed.getValue()),
              "CancelOrder/" + nameUuid(order, "CancelOrder", failed.getValue()));
    }
  }

  @Test
  void shouldTimeOutAndFailTheCompensationOnWallClockDeadlines() throws Exception {
    List<String> orders = List.of("order-silent-0", "order-silent-1");
    for (String order : orders) {
      placed(order);
      reserved(order, 10);
    }
    Duration deadline = Duration.ofSeconds(2);
    SagaDeadlines shortDeadlines =
        new SagaDeadlines(
            Duration.ofMinutes(5),
            deadline,
            Duration.ofMinutes(5),
            Duration.ofMinutes(5),
            deadline,
            Duration.ofMinutes(5),
            Duration.ofMinutes(5),
            3);

    Outputs out = run(shortDeadlines, 5 * orders.size(), 2 * orders.size());

    Map<String, List<SagaStatus>> actual =
        out.states().stream()
            .collect(
                Collectors.groupingBy(
                    ConsumerRecord::key,
                    Collectors.mapping(r -> r.value().getStatus(), Collectors.toList())));
    for (String order : orders) {
      assertThat(actual.get(order))
          .containsExactly(
              SagaStatus.STARTED,
              SagaStatus.INVENTORY_RESERVED,
              SagaStatus.TIMED_OUT,
              SagaStatus.COMPENSATING,
              SagaStatus.COMPENSATION_FAILED);
      assertThat(out.commands())
          .filteredOn(r -> r.key().equals(order))
          .extracting(r -> r.value().getClass().getSimpleName())
          .containsExactlyInAnyOrder("ReleaseInventory", "CancelOrder");
    }
  }

  private record Outputs(
      List<ConsumerRecord<String, SagaStateChanged>> states,
      List<ConsumerRecord<String, SpecificRecord>> commands) {}

  /**
   * Publishes the events (shuffled) and an undecodable record, runs the contender, reads both
   * outputs.
   */
  private Outputs run(SagaDeadlines deadlines, int stateChanges, int commands) throws Exception {
    Collections.shuffle(events, new Random(42));
    for (var e : events) {
      byTopic.computeIfAbsent(e.getKey(), t -> new ArrayList<>()).add(e.getValue());
    }
    recreate(
        Topics.ORDER_EVENTS,
        Topics.INVENTORY_EVENTS,
        Topics.PAYMENT_EVENTS,
        Topics.SHIPMENT_EVENTS,
        Topics.SAGA_STATE,
        Topics.SAGA_COMMANDS);
    produce(
        Topics.PAYMENT_EVENTS,
        new TopicRecordNameStrategy(),
        List.of(),
        List.of(Map.entry("garbage", "not avro".getBytes(StandardCharsets.UTF_8))));
    byTopic.forEach(
        (topic, records) -> produce(topic, new TopicRecordNameStrategy(), records, List.of()));

    ReadyFlag ready = new ReadyFlag();
    try (Contender contender =
        new SagaStreamsContender(SagaSettings.from(spec(sagaKeys())), deadlines, ready)) {
      contender.start();
      List<ConsumerRecord<String, SagaStateChanged>> states =
          readCommitted(
              Topics.SAGA_STATE,
              AvroWireDeserializer.forSpecific(registryClient, SagaStateChanged.class),
              stateChanges);
      List<ConsumerRecord<String, SpecificRecord>> sent =
          readCommitted(
              Topics.SAGA_COMMANDS,
              AvroWireDeserializer.forSpecificByWriterName(registryClient),
              commands);
      assertThat(ready.called()).isTrue();
      return new Outputs(states, sent);
    }
  }

  @Test
  void shouldRefuseAnOutputTopicThatIsNotTheSagas() throws Exception {
    Map<String, String> keys = sagaKeys();
    keys.put(
        ContenderSpec.OUTPUT_TOPICS, Topics.SAGA_STATE.name() + "," + Topics.IOT_ALERTS.name());
    ContenderSpec spec = spec(keys);

    assertThatThrownBy(() -> SagaStreamsContender.create(spec, () -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(ContenderSpec.OUTPUT_TOPICS);
  }

  private static Map<String, String> sagaKeys() {
    Map<String, String> keys = new HashMap<>();
    keys.put(
        ContenderSpec.INPUT_TOPICS,
        INPUTS.stream().map(Topic::name).collect(Collectors.joining(",")));
    keys.put(
        ContenderSpec.OUTPUT_TOPICS, Topics.SAGA_STATE.name() + "," + Topics.SAGA_COMMANDS.name());
    return keys;
  }

  private String completed(int i) {
    String order = "order-ok-" + i;
    placed(order);
    reserved(order, 10);
    send(
        Topics.PAYMENT_EVENTS,
        "pay-" + order,
        PaymentProcessed.newBuilder()
            .setMetadata(meta("PaymentProcessed", "payment", "pay-" + order, order, 20))
            .setPaymentId("pay-" + order)
            .setOrderId(order)
            .setAmountMinor(1200)
            .setCurrency("EUR")
            .build());
    send(
        Topics.SHIPMENT_EVENTS,
        "ship-" + order,
        ShipmentDispatched.newBuilder()
            .setMetadata(meta("ShipmentDispatched", "shipment", "ship-" + order, order, 30))
            .setShipmentId("ship-" + order)
            .setOrderId(order)
            .setCarrier("DHL")
            .build());
    send(
        Topics.SHIPMENT_EVENTS,
        "ship-" + order,
        ShipmentDelivered.newBuilder()
            .setMetadata(meta("ShipmentDelivered", "shipment", "ship-" + order, order, 40))
            .setShipmentId("ship-" + order)
            .setOrderId(order)
            .build());
    return order;
  }

  private String paymentFailed(int i, String failureId) {
    String order = "order-failed-" + i;
    placed(order);
    reserved(order, 10);
    EventMetadata failure = meta("PaymentFailed", "payment", "pay-" + order, order, 20);
    failure.setEventId(UUID.fromString(failureId));
    send(
        Topics.PAYMENT_EVENTS,
        "pay-" + order,
        PaymentFailed.newBuilder()
            .setMetadata(failure)
            .setPaymentId("pay-" + order)
            .setOrderId(order)
            .setAmountMinor(1200)
            .setCurrency("EUR")
            .setReason("CARD_DECLINED")
            .setTransientFailure(false)
            .setAttempt(1)
            .build());
    send(
        Topics.INVENTORY_EVENTS,
        "res-" + order,
        InventoryReleased.newBuilder()
            .setMetadata(meta("InventoryReleased", "inventory", "res-" + order, order, 30))
            .setReservationId("res-" + order)
            .setOrderId(order)
            .setReason("PAYMENT_FAILED")
            .build());
    return order;
  }

  private void placed(String order) {
    OrderPlaced placed =
        OrderPlaced.newBuilder()
            .setMetadata(meta("OrderPlaced", "order", order, order, 0))
            .setOrderId(order)
            .setCustomerId("customer-1")
            .setLines(List.of(new OrderLine("sku-1", 2, 600L)))
            .setTotalAmountMinor(1200)
            .setCurrency("EUR")
            .build();
    send(Topics.ORDER_EVENTS, order, placed);
    send(Topics.ORDER_EVENTS, order, placed); // a redelivery: changes nothing
  }

  private void reserved(String order, int second) {
    send(
        Topics.INVENTORY_EVENTS,
        "res-" + order,
        InventoryReserved.newBuilder()
            .setMetadata(meta("InventoryReserved", "inventory", "res-" + order, order, second))
            .setReservationId("res-" + order)
            .setOrderId(order)
            .setLines(List.of(new ReservedLine("sku-1", 2)))
            .build());
  }

  private void send(Topic<String, SpecificRecord> topic, String key, SpecificRecord event) {
    events.add(Map.entry(topic, Map.entry(key, event)));
  }

  private static EventMetadata meta(
      String type, String aggregateType, String aggregateId, String order, int second) {
    return EventMetadata.newBuilder()
        .setEventId(UUID.randomUUID())
        .setEventType(type)
        .setSchemaVersion(1)
        .setAggregateType(aggregateType)
        .setAggregateId(aggregateId)
        .setCorrelationId(order)
        .setOccurredAt(Instant.ofEpochMilli(T0 + second * 1000L))
        .build();
  }

  private static Object commandId(SpecificRecord command) {
    if (command instanceof ReleaseInventory r) {
      return r.getCommandId();
    }
    if (command instanceof CancelOrder c) {
      return c.getCommandId();
    }
    return "unexpected " + command.getClass().getSimpleName();
  }

  private static UUID nameUuid(String... parts) {
    return UUID.nameUUIDFromBytes(String.join("/", parts).getBytes(StandardCharsets.UTF_8));
  }
}
