package org.edapipeline.schemas;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.edapipeline.commands.CancelOrder;
import org.edapipeline.commands.RefundPayment;
import org.edapipeline.commands.ReleaseInventory;
import org.edapipeline.events.inventory.InventoryReleased;
import org.edapipeline.events.inventory.InventoryReservationFailed;
import org.edapipeline.events.inventory.InventoryReserved;
import org.edapipeline.events.iot.DeviceDecommissioned;
import org.edapipeline.events.iot.DeviceRegistered;
import org.edapipeline.events.iot.SensorReadingRecorded;
import org.edapipeline.events.order.OrderCancelled;
import org.edapipeline.events.order.OrderConfirmed;
import org.edapipeline.events.order.OrderPlaced;
import org.edapipeline.events.payment.PaymentFailed;
import org.edapipeline.events.payment.PaymentProcessed;
import org.edapipeline.events.payment.PaymentRefunded;
import org.edapipeline.events.shipment.ShipmentDelivered;
import org.edapipeline.events.shipment.ShipmentDispatched;
import org.edapipeline.events.shipment.ShipmentFailed;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.DlqDepthAlert;
import org.edapipeline.outputs.IotAlert;
import org.edapipeline.outputs.SagaStateChanged;
import org.edapipeline.outputs.WindowAggregate;

/**
 * The topic catalogue: every topic of the pipeline with its key type, value types and creation
 * settings. This is the only place a topic name is written down; everything else refers to these
 * constants (a test fails the build on a topic name in a string literal elsewhere).
 *
 * <p>Keys are the aggregate id as a UTF-8 string, so all events of one order, reservation, payment,
 * shipment or device land in one partition, in order. Values are Avro records.
 */
public final class Topics {

  /** Partitions of every topic (the design guide's figure): up to three consumers in parallel. */
  public static final int DEFAULT_PARTITIONS = 3;

  /** Suffix of a dead-letter queue: {@code <source-topic>.dlq}. */
  public static final String DLQ_SUFFIX = ".dlq";

  /**
   * The outbox EventRouter's {@code route.topic.replacement}: the outbox row's aggregate type
   * becomes the topic {@code <aggregatetype>.events}, one of {@link #outboxTopics()}.
   */
  public static final String OUTBOX_ROUTE_TOPIC_REPLACEMENT = "${routedByValue}.events";

  /**
   * How long a dead letter stays: twice Kafka's default, time to triage and replay after a holiday.
   */
  private static final Duration DLQ_RETENTION = Duration.ofDays(14);

  private static final Map<String, String> DELETE =
      Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
  private static final Map<String, String> COMPACT =
      Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);

  /**
   * Largest dead letter a DLQ takes ({@code max.message.bytes}), and the producer's {@code
   * max.request.size} for it: a dead letter carries the whole original value, which may be as large
   * as Kafka's default limit of 1 MiB, plus its headers, error and a stack trace of up to 8,000
   * characters. Under Kafka's default limit the largest bad input would fail its own dead letter's
   * write, and the job would restart on it for ever.
   */
  public static final int DLQ_MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

  private static final Map<String, String> DLQ_CONFIG =
      Map.of(
          TopicConfig.CLEANUP_POLICY_CONFIG,
          TopicConfig.CLEANUP_POLICY_DELETE,
          TopicConfig.RETENTION_MS_CONFIG,
          Long.toString(DLQ_RETENTION.toMillis()),
          TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
          Integer.toString(DLQ_MAX_MESSAGE_BYTES));

  // --- Outbox (CDC) topics: <aggregatetype>.events, one topic per aggregate type ---

  /** Events of the order aggregate, keyed by order id. */
  public static final Topic<String, SpecificRecord> ORDER_EVENTS =
      outboxTopic(
          "order.events", List.of(OrderPlaced.class, OrderConfirmed.class, OrderCancelled.class));

  /** Events of inventory reservations, keyed by reservation id (order id when none exists). */
  public static final Topic<String, SpecificRecord> INVENTORY_EVENTS =
      outboxTopic(
          "inventory.events",
          List.of(
              InventoryReserved.class, InventoryReservationFailed.class, InventoryReleased.class));

  /** Events of payments, keyed by payment id. */
  public static final Topic<String, SpecificRecord> PAYMENT_EVENTS =
      outboxTopic(
          "payment.events",
          List.of(PaymentProcessed.class, PaymentFailed.class, PaymentRefunded.class));

  /** Events of shipments, keyed by shipment id. */
  public static final Topic<String, SpecificRecord> SHIPMENT_EVENTS =
      outboxTopic(
          "shipment.events",
          List.of(ShipmentDispatched.class, ShipmentDelivered.class, ShipmentFailed.class));

  // --- IoT inputs ---

  /** Sensor readings sent by devices, keyed by device id. */
  public static final Topic<String, SensorReadingRecorded> IOT_READINGS =
      new Topic<>(
          "iot.readings",
          String.class,
          List.of(SensorReadingRecorded.class),
          DEFAULT_PARTITIONS,
          DELETE,
          SubjectNaming.TOPIC_NAME);

  /**
   * The device registry, keyed by device id. Compacted: the latest DeviceRegistered or
   * DeviceDecommissioned of every device is kept forever, so a job can rebuild its device table
   * from the start of the topic.
   */
  public static final Topic<String, SpecificRecord> IOT_DEVICES =
      new Topic<>(
          "iot.devices",
          String.class,
          List.of(DeviceRegistered.class, DeviceDecommissioned.class),
          DEFAULT_PARTITIONS,
          COMPACT,
          SubjectNaming.TOPIC_RECORD_NAME);

  // --- Saga correlation job ---

  /**
   * Status changes of order sagas, keyed by order id. Compacted: the latest is the saga's state.
   */
  public static final Topic<String, SagaStateChanged> SAGA_STATE =
      new Topic<>(
          "saga.state",
          String.class,
          List.of(SagaStateChanged.class),
          DEFAULT_PARTITIONS,
          COMPACT,
          SubjectNaming.TOPIC_NAME);

  /** Compensation commands from the saga to the services, keyed by order id. */
  public static final Topic<String, SpecificRecord> SAGA_COMMANDS =
      new Topic<>(
          "saga.commands",
          String.class,
          List.of(ReleaseInventory.class, RefundPayment.class, CancelOrder.class),
          DEFAULT_PARTITIONS,
          DELETE,
          SubjectNaming.TOPIC_RECORD_NAME);

  // --- IoT aggregation job ---

  /** Window statistics per device and sensor, keyed by device id. */
  public static final Topic<String, WindowAggregate> IOT_AGGREGATES =
      new Topic<>(
          "iot.aggregates",
          String.class,
          List.of(WindowAggregate.class),
          DEFAULT_PARTITIONS,
          DELETE,
          SubjectNaming.TOPIC_NAME);

  /** Threshold and silence alerts, keyed by device id. */
  public static final Topic<String, IotAlert> IOT_ALERTS =
      new Topic<>(
          "iot.alerts",
          String.class,
          List.of(IotAlert.class),
          DEFAULT_PARTITIONS,
          DELETE,
          SubjectNaming.TOPIC_NAME);

  /**
   * Readings that arrived after their window closed and its allowed lateness passed, unchanged and
   * keyed by device id.
   */
  public static final Topic<String, SensorReadingRecorded> IOT_LATE =
      new Topic<>(
          "iot.late",
          String.class,
          List.of(SensorReadingRecorded.class),
          DEFAULT_PARTITIONS,
          DELETE,
          SubjectNaming.TOPIC_NAME);

  // --- CDC outbox source ---

  /**
   * Outbox rows the CDC source could not publish (null or oversized payload, aggregate type without
   * a topic), keyed by the row's aggregate id bytes, valued by {@link DeadLetter}. Its source is
   * the outbox table, not a topic, so it is not a {@link #dlqOf} anything.
   */
  public static final Topic<byte[], DeadLetter> CDC_OUTBOX_DLQ =
      new Topic<>(
          "cdc.outbox.dlq",
          byte[].class,
          List.of(DeadLetter.class),
          DEFAULT_PARTITIONS,
          DLQ_CONFIG,
          SubjectNaming.TOPIC_NAME);

  // --- Operations ---

  /**
   * Alerts of the dlq tool's monitor: a dead-letter queue's depth reached its threshold. Keyed by
   * the dead-letter queue's name, so the alerts of one queue stay in order.
   */
  public static final Topic<String, DlqDepthAlert> DLQ_ALERTS =
      new Topic<>(
          "dlq.alerts",
          String.class,
          List.of(DlqDepthAlert.class),
          DEFAULT_PARTITIONS,
          DELETE,
          SubjectNaming.TOPIC_NAME);

  private static final List<Topic<String, SpecificRecord>> OUTBOX_TOPICS =
      List.of(ORDER_EVENTS, INVENTORY_EVENTS, PAYMENT_EVENTS, SHIPMENT_EVENTS);

  /** Topics the pipeline consumes; a record it cannot process goes to {@link #dlqOf} them. */
  private static final List<Topic<String, ?>> CONSUMED =
      List.of(
          ORDER_EVENTS,
          INVENTORY_EVENTS,
          PAYMENT_EVENTS,
          SHIPMENT_EVENTS,
          IOT_READINGS,
          IOT_DEVICES,
          SAGA_COMMANDS);

  private static final List<Topic<?, ?>> ALL =
      Stream.concat(
              Stream.of(
                  ORDER_EVENTS,
                  INVENTORY_EVENTS,
                  PAYMENT_EVENTS,
                  SHIPMENT_EVENTS,
                  IOT_READINGS,
                  IOT_DEVICES,
                  SAGA_STATE,
                  SAGA_COMMANDS,
                  IOT_AGGREGATES,
                  IOT_ALERTS,
                  IOT_LATE,
                  CDC_OUTBOX_DLQ,
                  DLQ_ALERTS),
              CONSUMED.stream().map(Topics::dlqOf))
          .collect(Collectors.toUnmodifiableList());

  private static final Map<String, Topic<?, ?>> BY_NAME =
      ALL.stream().collect(Collectors.toUnmodifiableMap(Topic::name, Function.identity()));

  private Topics() {}

  private static Topic<String, SpecificRecord> outboxTopic(
      String name, List<Class<? extends SpecificRecord>> valueTypes) {
    return new Topic<>(
        name,
        String.class,
        valueTypes,
        DEFAULT_PARTITIONS,
        DELETE,
        SubjectNaming.TOPIC_RECORD_NAME);
  }

  /**
   * The dead-letter queue of {@code source}: {@code <source-topic>.dlq}, keyed by the original key
   * bytes (so a replay lands in the same partition order), valued by {@link DeadLetter}.
   *
   * @throws IllegalArgumentException if {@code source} is itself a dead-letter queue
   */
  public static Topic<byte[], DeadLetter> dlqOf(Topic<?, ?> source) {
    if (isDlq(source)) {
      throw new IllegalArgumentException(source.name() + " is a dead-letter queue already");
    }
    return new Topic<>(
        source.name() + DLQ_SUFFIX,
        byte[].class,
        List.of(DeadLetter.class),
        source.partitions(),
        DLQ_CONFIG,
        SubjectNaming.TOPIC_NAME);
  }

  /** Whether {@code topic} is a dead-letter queue. */
  public static boolean isDlq(Topic<?, ?> topic) {
    return topic.name().endsWith(DLQ_SUFFIX);
  }

  /**
   * The topic the outbox routes events of {@code aggregateType} to, as written in the outbox row
   * and in {@code EventMetadata.aggregateType}: {@code "order"} gives {@link #ORDER_EVENTS}.
   *
   * @throws IllegalArgumentException for an aggregate type without a topic
   */
  public static Topic<String, SpecificRecord> forAggregateType(String aggregateType) {
    return OUTBOX_TOPICS.stream()
        .filter(topic -> topic.name().equals(aggregateType + ".events"))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "No outbox topic for aggregate type '" + aggregateType + "'"));
  }

  /** The topics the outbox (Debezium's EventRouter) writes to, one per aggregate type. */
  public static List<Topic<String, SpecificRecord>> outboxTopics() {
    return OUTBOX_TOPICS;
  }

  /** The catalogue topic with this name, dead-letter queues included. */
  public static Optional<Topic<?, ?>> byName(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /**
   * Every topic to create, in a stable order: the topics above, then the dead-letter queues of the
   * topics the pipeline consumes.
   */
  public static List<Topic<?, ?>> all() {
    return ALL;
  }
}
