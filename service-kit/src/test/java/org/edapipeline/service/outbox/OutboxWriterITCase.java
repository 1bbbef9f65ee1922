package org.edapipeline.service.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.avro.specific.SpecificRecord;
import org.edapipeline.embedded.junit.PostgresExtension;
import org.edapipeline.embedded.registry.EmbeddedSchemaRegistry;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.events.iot.SensorReadingRecorded;
import org.edapipeline.events.order.OrderConfirmed;
import org.edapipeline.events.payment.PaymentProcessed;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.edapipeline.schemas.serde.AvroWireDeserializer;
import org.edapipeline.service.ServiceSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The outbox writer against real PostgreSQL: the table stays empty, the insert is in the WAL for
 * the publication's slot, and every column carries the event's metadata and wire-format bytes.
 *
 * <p>A {@code BEFORE DELETE} trigger copies each row to {@code outbox_seen} before the writer's
 * delete removes it, so the test can read what was written.
 */
class OutboxWriterITCase {

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  private static final String SLOT = "outbox_writer_test";

  private static EmbeddedSchemaRegistry registry;
  private static SchemaRegistryClient client;
  private static OutboxWriter writer;
  private static DataSource dataSource;

  @BeforeAll
  static void setUp() throws SQLException {
    dataSource = PG.dataSource();
    ServiceSchema.migrate(dataSource);
    execute(
        "CREATE TABLE outbox_seen (LIKE outbox)",
        "CREATE FUNCTION outbox_copy() RETURNS trigger LANGUAGE plpgsql AS"
            + " $$ BEGIN INSERT INTO outbox_seen SELECT OLD.*; RETURN OLD; END $$",
        "CREATE TRIGGER outbox_copy BEFORE DELETE ON outbox FOR EACH ROW EXECUTE FUNCTION"
            + " outbox_copy()",
        // The slot exists before the first write: the precondition of insert-then-delete.
        "SELECT pg_create_logical_replication_slot('" + SLOT + "', 'pgoutput')");
    registry = EmbeddedSchemaRegistry.builder().start(); // in memory
    client =
        new RestSchemaRegistryClient(SchemaRegistryClientConfig.builder(registry.url()).build());
    writer = OutboxWriter.builder(client).build();
  }

  @AfterAll
  static void tearDown() throws SQLException {
    execute("SELECT pg_drop_replication_slot('" + SLOT + "')");
    client.close();
    registry.close();
  }

  @BeforeEach
  void consumeSlotAndClear() throws SQLException {
    execute(
        "SELECT count(*) FROM pg_logical_slot_get_binary_changes('"
            + SLOT
            + "', NULL, NULL, 'proto_version', '1', 'publication_names', 'edapipeline_outbox')",
        "TRUNCATE outbox_seen");
  }

  @Test
  void shouldLeaveTheTableEmptyWhileTheSlotSeesEveryInsert() throws SQLException {
    List<SpecificRecord> events = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      events.add(orderConfirmed("order-" + i, null, null));
    }

    try (Connection connection = transaction()) {
      writer.writeAll(connection, events.subList(0, 4));
      writer.write(connection, events.get(4));
      connection.commit();
    }

    assertThat(count("SELECT count(*) FROM outbox")).isZero();
    assertThat(count("SELECT count(*) FROM outbox_seen")).isEqualTo(5);
    // pgoutput messages: 'I' insert; deletes are not published (publish = 'insert').
    assertThat(publishedMessages('I')).isEqualTo(5);
    assertThat(publishedMessages('D')).isZero();
  }

  @Test
  void shouldWriteMetadataColumnsAndWireFormatPayloadThatDecodesToTheEvent() throws SQLException {
    OrderConfirmed event =
        orderConfirmed(
            "order-42", "cause-1", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

    try (Connection connection = transaction()) {
      writer.write(connection, event);
      connection.commit();
    }

    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT * FROM outbox_seen")) {
      assertThat(row.next()).isTrue();
      EventMetadata metadata = event.getMetadata();
      assertThat(row.getObject("id")).isEqualTo(metadata.getEventId());
      assertThat(row.getString("aggregatetype")).isEqualTo("order");
      assertThat(row.getString("aggregateid")).isEqualTo("order-42");
      assertThat(row.getString("type")).isEqualTo("OrderConfirmed");
      assertThat(row.getString("correlation_id")).isEqualTo(metadata.getCorrelationId());
      assertThat(row.getString("causation_id")).isEqualTo("cause-1");
      assertThat(row.getString("traceparent")).isEqualTo(metadata.getTraceparent());
      assertThat(row.getTimestamp("occurred_at").toInstant()).isEqualTo(metadata.getOccurredAt());
      byte[] payload = row.getBytes("payload");
      assertThat(payload[0]).as("Confluent magic byte").isZero();
      assertThat(AvroWireDeserializer.forSpecific(client, OrderConfirmed.class).decode(payload))
          .isEqualTo(event);
      assertThat(row.next()).isFalse();
    }
    assertThat(client.subjects()).contains(Topics.ORDER_EVENTS.valueSubject(OrderConfirmed.class));
  }

  @Test
  void shouldWriteNothingWhenTheCallerRollsBack() throws SQLException {
    try (Connection connection = transaction()) {
      writer.write(connection, orderConfirmed("order-7", null, null));
      connection.rollback();
    }

    assertThat(publishedMessages('I')).isZero();
    assertThat(count("SELECT count(*) FROM outbox")).isZero();
  }

  @Test
  void shouldRefuseAConnectionInAutoCommitMode() throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(true);

      assertThatThrownBy(() -> writer.write(connection, orderConfirmed("order-8", null, null)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("auto-commit")
          .hasMessageContaining("setAutoCommit(false)");
    }
    assertThat(publishedMessages('I')).isZero();
  }

  @Test
  void shouldRejectEventsWithoutAnOutboxTopicBeforeWritingAnything() throws SQLException {
    PaymentProcessed wrongAggregate =
        PaymentProcessed.newBuilder()
            .setMetadata(metadata("PaymentProcessed", "refund", "pay-1", null, null))
            .setPaymentId("pay-1")
            .setOrderId("order-1")
            .setAmountMinor(100)
            .setCurrency("EUR")
            .build();
    OrderConfirmed onPaymentTopic =
        OrderConfirmed.newBuilder()
            .setMetadata(metadata("OrderConfirmed", "payment", "order-1", null, null))
            .setOrderId("order-1")
            .build();

    try (Connection connection = transaction()) {
      OrderConfirmed valid = orderConfirmed("order-9", null, null);
      assertThatThrownBy(() -> writer.writeAll(connection, List.of(valid, wrongAggregate)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'refund'");
      assertThatThrownBy(() -> writer.write(connection, onPaymentTopic))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("payment.events does not carry")
          .hasMessageContaining("OrderConfirmed");
      assertThatThrownBy(() -> writer.write(connection, sensorReadingWithoutTopic()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("iot");
      connection.commit();
    }
    assertThat(publishedMessages('I')).as("the valid event was not written either").isZero();
  }

  private static SensorReadingRecorded sensorReadingWithoutTopic() {
    return SensorReadingRecorded.newBuilder()
        .setMetadata(metadata("SensorReadingRecorded", "iot", "dev-1", null, null))
        .setDeviceId("dev-1")
        .setSensorType("temperature")
        .setValue(1.0)
        .setUnit("Cel")
        .setMeasuredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
        .build();
  }

  static OrderConfirmed orderConfirmed(String orderId, String causationId, String traceparent) {
    return OrderConfirmed.newBuilder()
        .setMetadata(metadata("OrderConfirmed", "order", orderId, causationId, traceparent))
        .setOrderId(orderId)
        .build();
  }

  static EventMetadata metadata(
      String type, String aggregateType, String aggregateId, String causation, String trace) {
    return EventMetadata.newBuilder()
        .setEventId(UUID.randomUUID())
        .setEventType(type)
        .setSchemaVersion(1)
        .setAggregateType(aggregateType)
        .setAggregateId(aggregateId)
        .setCorrelationId("corr-" + aggregateId)
        .setCausationId(causation)
        .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
        .setTraceparent(trace)
        .build();
  }

  private static Connection transaction() throws SQLException {
    Connection connection = dataSource.getConnection();
    connection.setAutoCommit(false);
    return connection;
  }

  /** Consumes the slot's pending changes and counts the pgoutput messages of one kind. */
  private static long publishedMessages(char kind) throws SQLException {
    return count(
        "SELECT count(*) FROM pg_logical_slot_peek_binary_changes('"
            + SLOT
            + "', NULL, NULL, 'proto_version', '1', 'publication_names', 'edapipeline_outbox')"
            + " WHERE get_byte(data, 0) = "
            + (int) kind);
  }

  private static long count(String sql) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getLong(1);
    }
  }

  private static void execute(String... sql) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      for (String each : sql) {
        statement.execute(each);
      }
    }
  }
}
