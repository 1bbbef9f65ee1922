package org.edapipeline.cdc;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.avro.specific.SpecificRecord;
import org.edapipeline.cdc.config.CdcConfig;
import org.edapipeline.embedded.junit.KafkaExtension;
import org.edapipeline.embedded.junit.PostgresExtension;
import org.edapipeline.embedded.junit.SchemaRegistryExtension;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.events.order.OrderConfirmed;
import org.edapipeline.events.payment.PaymentProcessed;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.edapipeline.service.ServiceSchema;

/** Databases, configurations and events for the CDC integration tests. */
final class CdcTestSupport {

  /** How long a test waits for what it expects before failing. */
  static final Duration PATIENCE = Duration.ofSeconds(60);

  private CdcTestSupport() {}

  static void createCatalogueTopics(KafkaExtension kafka) {
    for (Topic<?, ?> topic : Topics.all()) {
      kafka.createTopic(topic.name(), topic.partitions(), topic.config());
    }
  }

  /**
   * A fresh database with the outbox migration applied and a table {@code aggregate_seq} that
   * numbers each aggregate's events in commit order (its row lock serializes writers of one
   * aggregate).
   */
  static DataSource freshDatabase(PostgresExtension postgres, String name) throws SQLException {
    postgres.server().createDatabase(name);
    DataSource dataSource = postgres.server().dataSource(name);
    ServiceSchema.migrate(dataSource);
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE aggregate_seq (id varchar PRIMARY KEY, n bigint NOT NULL)");
      statement.execute("CREATE TABLE unrelated (id bigserial PRIMARY KEY, note text)");
    }
    return dataSource;
  }

  /** The file values of a configuration for one test: its own database, slot and offsets topic. */
  static Map<String, String> config(
      PostgresExtension postgres,
      KafkaExtension kafka,
      SchemaRegistryExtension registry,
      String database) {
    Map<String, String> config = new LinkedHashMap<>();
    config.put(CdcConfig.DATABASE_HOSTNAME, postgres.server().host());
    config.put(CdcConfig.DATABASE_PORT, Integer.toString(postgres.server().port()));
    config.put(CdcConfig.DATABASE_DBNAME, database);
    config.put(CdcConfig.DATABASE_USER, postgres.server().user());
    config.put("debezium.source.slot.name", "slot_" + database);
    config.put("debezium.source.name", "cdc-" + database);
    config.put("debezium.source.topic.prefix", "test_" + database);
    config.put(CdcConfig.OFFSET_TOPIC, "_offsets_" + database);
    config.put("debezium.source.offset.flush.interval.ms", "200");
    config.put("debezium.source.heartbeat.interval.ms", "500");
    config.put("debezium.source.status.update.interval.ms", "500");
    config.put("debezium.source.retriable.restart.connector.wait.ms", "500");
    config.put(CdcConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    config.put("debezium.sink.kafka.producer.linger.ms", "2");
    config.put(CdcConfig.REGISTRY_URL, registry.url());
    config.put(CdcConfig.HTTP_HOST, "127.0.0.1");
    config.put(CdcConfig.HTTP_PORT, "0");
    config.put(CdcConfig.SLOT_LAG_INTERVAL_MS, "250");
    config.put(CdcConfig.RESTART_BACKOFF_INITIAL_MS, "200");
    config.put(CdcConfig.RESTART_BACKOFF_MAX_MS, "2000");
    return config;
  }

  /** The password comes from the environment, as in production. */
  static Map<String, String> environment(PostgresExtension postgres) {
    return Map.of(
        CdcConfig.environmentName(CdcConfig.DATABASE_PASSWORD), postgres.server().password());
  }

  /** Whether the slot exists and is streaming: rows committed from now on are seen. */
  static boolean slotActive(DataSource dataSource, String slot) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
      statement.setString(1, slot);
      try (ResultSet result = statement.executeQuery()) {
        return result.next() && result.getBoolean(1);
      }
    }
  }

  /** The slot's confirmed_flush_lsn as a number, or -1 if there is no such slot. */
  static long confirmedFlushLsn(DataSource dataSource, String slot) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT confirmed_flush_lsn - '0/0' FROM pg_replication_slots WHERE slot_name = ?")) {
      statement.setString(1, slot);
      try (ResultSet result = statement.executeQuery()) {
        return result.next() ? result.getLong(1) : -1;
      }
    }
  }

  static long count(DataSource dataSource, String sql) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getLong(1);
    }
  }

  static void dropSlot(DataSource dataSource, String slot) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                    + " WHERE slot_name = ? AND NOT active")) {
      statement.setString(1, slot);
      statement.execute();
    }
  }

  /**
   * The next number of {@code aggregateId} in commit order: locks the aggregate's row until the
   * caller's transaction ends.
   */
  static long nextSequence(Connection connection, String aggregateId) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO aggregate_seq (id, n) VALUES (?, 1)"
                + " ON CONFLICT (id) DO UPDATE SET n = aggregate_seq.n + 1 RETURNING n")) {
      statement.setString(1, aggregateId);
      try (ResultSet result = statement.executeQuery()) {
        result.next();
        return result.getLong(1);
      }
    }
  }

  /**
   * An event of the aggregate: orders give OrderConfirmed, payments PaymentProcessed. The causation
   * id carries the aggregate's sequence number, the correlation id the test's run id.
   */
  static SpecificRecord event(String aggregateType, String aggregateId, long sequence, String run) {
    EventMetadata.Builder metadata =
        EventMetadata.newBuilder()
            .setEventId(UUID.randomUUID())
            .setSchemaVersion(1)
            .setAggregateType(aggregateType)
            .setAggregateId(aggregateId)
            .setCorrelationId(run)
            .setCausationId(Long.toString(sequence))
            .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
            .setTraceparent(traceparent(sequence));
    return switch (aggregateType) {
      case "order" ->
          OrderConfirmed.newBuilder()
              .setMetadata(metadata.setEventType("OrderConfirmed").build())
              .setOrderId(aggregateId)
              .build();
      case "payment" ->
          PaymentProcessed.newBuilder()
              .setMetadata(metadata.setEventType("PaymentProcessed").build())
              .setPaymentId(aggregateId)
              .setOrderId("order-of-" + aggregateId)
              .setAmountMinor(sequence)
              .setCurrency("EUR")
              .build();
      default -> throw new IllegalArgumentException(aggregateType);
    };
  }

  static String traceparent(long sequence) {
    return String.format("00-%032x-%016x-01", sequence + 1, sequence + 1);
  }

  /** Inserts an outbox row directly, bypassing the writer's checks (for bad-input tests). */
  static void insertRawRow(
      DataSource dataSource, UUID id, String aggregateType, String aggregateId, byte[] payload)
      throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload, correlation_id)"
                    + " VALUES (?, ?, ?, 'OrderConfirmed', ?, 'corr-raw')")) {
      statement.setObject(1, id);
      statement.setString(2, aggregateType);
      statement.setString(3, aggregateId);
      statement.setBytes(4, payload);
      statement.executeUpdate();
    }
  }

  static String utf8(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }
}
