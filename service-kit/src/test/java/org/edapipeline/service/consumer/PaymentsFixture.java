package org.edapipeline.service.consumer;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.events.order.OrderConfirmed;
import org.edapipeline.events.payment.PaymentProcessed;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.schemas.EventHeaders;
import org.edapipeline.schemas.SubjectNaming;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.serde.AvroWireDeserializer;
import org.edapipeline.schemas.serde.AvroWireSerializer;
import org.edapipeline.service.ServiceSchema;
import org.edapipeline.service.outbox.OutboxWriter;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A payment-charging service in miniature, for the consumer tests: its tables (the service-kit
 * migrations plus {@code charges}), a handler whose effect would show twice if it ran twice (a
 * {@code charges} row without a unique key and an outbox event with a fresh id), and the Kafka
 * side: topics of its own per test, an Avro producer and a dead-letter reader.
 */
final class PaymentsFixture {

  static final String OUTBOX_TYPE = "OrderConfirmed";
  private static final String OUTBOX_SLOT = "consumer_test_outbox";
  private static final Pattern CAUSATION_ID =
      Pattern.compile("causation_id\\[character varying\\]:'([^']*)'");
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private final String bootstrapServers;
  private final SchemaRegistryClient registry;
  private final OutboxWriter outbox;

  PaymentsFixture(String bootstrapServers, SchemaRegistryClient registry) {
    this.bootstrapServers = bootstrapServers;
    this.registry = registry;
    this.outbox = OutboxWriter.builder(registry).build();
  }

  /** A topic of this test only, like the catalogue's single-type topics. */
  static Topic<String, PaymentProcessed> topic(String prefix) {
    return topicNamed(prefix + "-" + SEQUENCE.incrementAndGet() + "-" + System.nanoTime());
  }

  static Topic<String, PaymentProcessed> topicNamed(String name) {
    return new Topic<>(
        name,
        String.class,
        List.of(PaymentProcessed.class),
        Topics.DEFAULT_PARTITIONS,
        Map.of(),
        SubjectNaming.TOPIC_NAME);
  }

  /** Creates the tables of the service in {@code dataSource}'s database. */
  static void createSchema(DataSource dataSource) throws SQLException {
    ServiceSchema.migrate(dataSource);
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      // No unique key on event_id on purpose: a second effect would be a second row.
      s.execute(
          "CREATE TABLE IF NOT EXISTS charges (id bigserial PRIMARY KEY, event_id varchar(64) NOT"
              + " NULL, payment_id varchar(255) NOT NULL, amount_minor bigint NOT NULL)");
    }
  }

  static DataSource dataSource(String jdbcUrl, String user, String password) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(jdbcUrl);
    dataSource.setUser(user);
    dataSource.setPassword(password);
    return dataSource;
  }

  /**
   * The service's effect: a charge, and the event that follows it written through the {@link
   * OutboxWriter}. The event gets a fresh id, so a second effect would be a second outbox insert.
   */
  void charge(Connection connection, DecodedRecord<PaymentProcessed> record) throws SQLException {
    PaymentProcessed payment = record.value();
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO charges (event_id, payment_id, amount_minor) VALUES (?, ?, ?)")) {
      insert.setString(1, record.eventId().toString());
      insert.setString(2, payment.getPaymentId());
      insert.setLong(3, payment.getAmountMinor());
      insert.executeUpdate();
    }
    outbox.write(
        connection,
        OrderConfirmed.newBuilder()
            .setMetadata(
                EventMetadata.newBuilder()
                    .setEventId(UUID.randomUUID())
                    .setEventType(OUTBOX_TYPE)
                    .setSchemaVersion(1)
                    .setAggregateType("order")
                    .setAggregateId(payment.getOrderId())
                    .setCorrelationId(record.correlationId())
                    .setCausationId(record.eventId().toString())
                    .setOccurredAt(Instant.parse("2026-03-01T10:15:31Z"))
                    .build())
            .setOrderId(payment.getOrderId())
            .build());
  }

  static PaymentProcessed payment(String paymentId) {
    String orderId = "order-" + paymentId;
    return PaymentProcessed.newBuilder()
        .setMetadata(
            EventMetadata.newBuilder()
                .setEventId(UUID.randomUUID())
                .setEventType("PaymentProcessed")
                .setSchemaVersion(1)
                .setAggregateType("payment")
                .setAggregateId(paymentId)
                .setCorrelationId(orderId)
                .setOccurredAt(Instant.parse("2026-03-01T10:15:30.123Z"))
                .build())
        .setPaymentId(paymentId)
        .setOrderId(orderId)
        .setAmountMinor(1000 + paymentId.hashCode() % 100)
        .setCurrency("EUR")
        .build();
  }

  static List<PaymentProcessed> payments(String prefix, int count) {
    List<PaymentProcessed> payments = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      payments.add(payment(prefix + "-" + i));
    }
    return payments;
  }

  /** Rows of {@code table} (charges, outbox, processed_events). */
  static long count(DataSource dataSource, String table) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Charges per event id. */
  static Map<String, Long> chargesPerEvent(DataSource dataSource) throws SQLException {
    Map<String, Long> counts = new HashMap<>();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT event_id, count(*) FROM charges GROUP BY event_id")) {
      while (rs.next()) {
        counts.put(rs.getString(1), rs.getLong(2));
      }
    }
    return counts;
  }

  /**
   * Starts recording the database's changes in a logical replication slot, as the CDC source's slot
   * does: the OutboxWriter deletes its rows in the same transaction, so the inserts exist only in
   * the WAL. Call before anything is written.
   */
  static void recordOutbox(DataSource dataSource) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "SELECT pg_create_logical_replication_slot('" + OUTBOX_SLOT + "', 'test_decoding')");
    }
  }

  static void stopRecordingOutbox(DataSource dataSource) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute("SELECT pg_drop_replication_slot('" + OUTBOX_SLOT + "')");
    }
  }

  /** Committed outbox inserts per causing event id, read from the WAL since recordOutbox. */
  static Map<String, Long> outboxRowsPerEvent(DataSource dataSource) throws SQLException {
    Map<String, Long> counts = new HashMap<>();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT data FROM pg_logical_slot_peek_changes('"
                    + OUTBOX_SLOT
                    + "', NULL, NULL) WHERE data LIKE 'table public.outbox: INSERT:%'")) {
      while (rs.next()) {
        Matcher causation = CAUSATION_ID.matcher(rs.getString(1));
        if (!causation.find()) {
          throw new IllegalStateException("No causation_id in " + rs.getString(1));
        }
        counts.merge(causation.group(1), 1L, Long::sum);
      }
    }
    return counts;
  }

  IdempotentConsumerConfig.Builder config(String consumerName, Topic<?, ?> topic) {
    return IdempotentConsumerConfig.builder()
        .consumerName(consumerName)
        .groupId(topic.name()) // a group per test topic: tests do not rebalance each other
        .topic(topic)
        .bootstrapServers(bootstrapServers)
        .maxAttempts(3)
        .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
        .pollTimeout(Duration.ofMillis(100))
        .closeTimeout(Duration.ofSeconds(20))
        // A departing test consumer must not hold its partitions for the default 45 s.
        .kafka(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6000)
        .kafka(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
  }

  /** Avro in the wire format, as the CDC source writes it. */
  byte[] encode(Topic<?, ?> topic, PaymentProcessed payment) {
    AvroWireSerializer<PaymentProcessed> serializer = AvroWireSerializer.builder(registry).build();
    return serializer.serialize(topic.name(), payment);
  }

  /** Sends each value to its key's partition, or to {@code partition} when not null. */
  void send(Topic<?, ?> topic, Integer partition, String key, byte[] value) {
    try (KafkaProducer<String, byte[]> producer = producer()) {
      ProducerRecord<String, byte[]> record =
          new ProducerRecord<>(topic.name(), partition, key, value);
      record.headers().add(new RecordHeader("traceparent", new byte[] {1, 2, 3}));
      producer.send(record).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sends one record to {@code partition} with exactly {@code headers} (UTF-8, in order), as the
   * CDC source would, and returns where it landed.
   */
  RecordMetadata send(
      Topic<?, ?> topic, int partition, String key, byte[] value, Map<String, String> headers) {
    try (KafkaProducer<String, byte[]> producer = producer()) {
      ProducerRecord<String, byte[]> record =
          new ProducerRecord<>(topic.name(), partition, key, value);
      headers.forEach(
          (name, text) -> record.headers().add(name, text.getBytes(StandardCharsets.UTF_8)));
      return producer.send(record).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The headers the CDC source writes for {@code payment}, with {@code traceparent}. */
  static Map<String, String> cdcHeaders(PaymentProcessed payment, String traceparent) {
    EventMetadata metadata = payment.getMetadata();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(EventHeaders.EVENT_ID, metadata.getEventId().toString());
    headers.put(EventHeaders.EVENT_TYPE, metadata.getEventType());
    headers.put(EventHeaders.AGGREGATE_TYPE, metadata.getAggregateType());
    headers.put(EventHeaders.CORRELATION_ID, metadata.getCorrelationId());
    headers.put(EventHeaders.TRACEPARENT, traceparent);
    return headers;
  }

  /** Sends the payments, keyed by payment id, each followed by nothing else. */
  void send(Topic<?, ?> topic, List<PaymentProcessed> payments) {
    try (KafkaProducer<String, byte[]> producer = producer()) {
      for (PaymentProcessed payment : payments) {
        producer.send(
            new ProducerRecord<>(topic.name(), payment.getPaymentId(), encode(topic, payment)));
      }
      producer.flush();
    }
  }

  KafkaProducer<String, byte[]> producer() {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  /** Every dead letter in {@code topic}'s DLQ so far. */
  List<ConsumerRecord<byte[], DeadLetter>> deadLetters(Topic<?, ?> topic) {
    String dlq = Topics.dlqOf(topic).name();
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<ConsumerRecord<byte[], DeadLetter>> result = new ArrayList<>();
    AvroWireDeserializer<DeadLetter> values =
        AvroWireDeserializer.forSpecific(registry, DeadLetter.class);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(dlq).stream()
              .map(p -> new TopicPartition(dlq, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          result.add(
              new ConsumerRecord<>(
                  r.topic(), r.partition(), r.offset(), r.key(), values.decode(r.value())));
        }
      }
    }
    return result;
  }
}
