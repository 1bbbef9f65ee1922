package org.edapipeline.bench.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.edapipeline.bench.contract.ContenderSpec;
import org.edapipeline.cdc.CdcService;
import org.edapipeline.cdc.config.CdcConfig;
import org.edapipeline.embedded.junit.KafkaExtension;
import org.edapipeline.embedded.junit.PostgresExtension;
import org.edapipeline.embedded.junit.SchemaRegistryExtension;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.events.order.OrderConfirmed;
import org.edapipeline.events.payment.PaymentProcessed;
import org.edapipeline.schemas.EventHeaders;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.edapipeline.schemas.trace.TraceContext;
import org.edapipeline.service.ServiceSchema;
import org.edapipeline.service.outbox.OutboxWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both CDC contenders deliver the same outbox rows as our CDC service: the same topic, key, value
 * bytes and headers per event, each row once, in commit order per aggregate.
 *
 * <p>One slot per delivery path is created before the rows are written, so all three read the same
 * WAL; our service runs first (in-process) and its output is the reference, then the topics are
 * recreated before each contender runs.
 */
class CdcContendersITCase {

  @RegisterExtension
  @Order(1)
  static final KafkaExtension KAFKA = new KafkaExtension();

  @RegisterExtension
  @Order(2)
  static final PostgresExtension PG = new PostgresExtension();

  @RegisterExtension
  @Order(3)
  static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension(KAFKA);

  private static final Duration PATIENCE = Duration.ofSeconds(120);
  private static final String PUBLICATION = "edapipeline_outbox";
  private static final String OURS = "slot_ours";
  private static final String RAW = "slot_raw";
  private static final String CONNECT = "slot_connect";
  private static final int AGGREGATES = 30;
  private static final int TRANSACTIONS = 40;
  private static final int EVENTS_PER_TRANSACTION = 10;
  private static final int ROWS = TRANSACTIONS * EVENTS_PER_TRANSACTION;

  @TempDir static Path work;

  /** How a header with a null value is compared (ours never writes one). */
  private static final String NULL_HEADER = "<null>";

  /** Our service's output, the reference: event id → what Kafka holds. */
  private static Map<String, Delivered> reference;

  private static Map<String, List<String>> referenceOrder;

  /** The WAL position at which the last slot was created (all rows lie after it). */
  private static String slotsCreatedAt;

  @BeforeAll
  static void writeRowsAndRunOurService() throws Exception {
    ServiceSchema.migrate(PG.dataSource());
    recreateOutboxTopics();
    try (Connection connection = PG.connect();
        Statement statement = connection.createStatement()) {
      for (String slot : List.of(OURS, RAW, CONNECT)) {
        try (var created =
            statement.executeQuery(
                "SELECT lsn FROM pg_create_logical_replication_slot('" + slot + "', 'pgoutput')")) {
          created.next();
          slotsCreatedAt = created.getString(1);
        }
      }
    }
    writeRows();

    Map<String, String> config = new LinkedHashMap<>();
    config.put(CdcConfig.DATABASE_HOSTNAME, PG.server().host());
    config.put(CdcConfig.DATABASE_PORT, Integer.toString(PG.server().port()));
    config.put(CdcConfig.DATABASE_DBNAME, PG.server().database());
    config.put(CdcConfig.DATABASE_USER, PG.server().user());
    config.put(CdcConfig.SOURCE_PREFIX + "slot.name", OURS);
    config.put(CdcConfig.OFFSET_STORAGE, "file");
    config.put(CdcConfig.OFFSET_FILE, work.resolve("ours.offsets").toString());
    config.put(CdcConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers());
    config.put(CdcConfig.REGISTRY_URL, REGISTRY.url());
    config.put(CdcConfig.HTTP_HOST, "127.0.0.1");
    config.put(CdcConfig.HTTP_PORT, "0");
    try (CdcService ours = CdcService.start(CdcConfig.from(config, Map.of()))) {
      List<Delivered> delivered = readOutboxTopics();
      reference = byEventId(delivered);
      referenceOrder = orderPerKey(delivered);
    }
    assertThat(reference).hasSize(ROWS);
  }

  @Test
  void rawPgOutputReaderDeliversExactlyWhatOurServiceDelivers() throws Exception {
    recreateOutboxTopics();
    List<Delivered> delivered;
    try (PgOutputReader reader =
        PgOutputReader.start(
            PG.jdbcUrl(),
            PG.server().user(),
            PG.server().password(),
            RAW,
            PUBLICATION,
            ProducerSettings.of(KAFKA.bootstrapServers(), "raw-it"))) {
      delivered = readOutboxTopics();
      assertThat(reader.failure()).isNull();
    }
    assertThat(byEventId(delivered)).isEqualTo(reference);
    assertThat(orderPerKey(delivered)).isEqualTo(referenceOrder);
    // The reader confirmed what Kafka acknowledged, so PostgreSQL can recycle that WAL.
    await().atMost(PATIENCE).until(() -> confirmedFlushBeyondCreation(RAW));
  }

  @Test
  void kafkaConnectWithTheEventRouterDeliversWhatOurServiceDelivers() throws Exception {
    recreateOutboxTopics();
    Path dir = Files.createDirectories(work.resolve("connect"));
    Map<String, String> spec = new HashMap<>();
    spec.put(ContenderSpec.PG_URL, PG.jdbcUrl());
    spec.put(ContenderSpec.PG_USER, PG.server().user());
    spec.put(ContenderSpec.PG_PASSWORD, PG.server().password());
    spec.put(ContenderSpec.PG_SLOT, CONNECT);
    spec.put(ContenderSpec.PG_PUBLICATION, PUBLICATION);
    spec.put(ContenderSpec.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers());
    spec.put(ContenderSpec.RUN_ID, "connect-it");
    spec.put(ContenderSpec.WORK_DIR, dir.toString());
    List<Delivered> delivered;
    try (ConnectStandaloneContender connect =
        ConnectStandaloneContender.start(ContenderSpec.of(spec))) {
      delivered = readOutboxTopics();
      // Past a heartbeat (every 10 s): it is dropped before the converter, the task goes on.
      await()
          .during(Duration.ofSeconds(12))
          .atMost(Duration.ofSeconds(30))
          .until(() -> !connect.failed());
    }
    // Two inherent differences. An SMT has no publish span, so Connect passes the row's
    // traceparent on where ours writes a child of it (same trace, another span). And the
    // EventRouter places a NULL column as a header with a null value, where ours omits it.
    Map<String, Delivered> connect = byEventId(delivered);
    assertThat(connect.keySet()).isEqualTo(reference.keySet());
    connect.forEach(
        (eventId, record) -> {
          Delivered ours = reference.get(eventId);
          assertThat(record.withoutTraceparent().withoutNullHeaders())
              .isEqualTo(ours.withoutTraceparent());
          String theirs = record.headers().get(EventHeaders.TRACEPARENT);
          String ourTrace =
              TraceContext.parse(ours.headers().get(EventHeaders.TRACEPARENT)).traceId();
          if (NULL_HEADER.equals(theirs)) {
            // The row had none: ours starts a trace derived from the event id.
            assertThat(ourTrace).isEqualTo(TraceContext.root("cdc-publish/" + eventId).traceId());
          } else {
            assertThat(TraceContext.parse(theirs).traceId()).isEqualTo(ourTrace);
          }
        });
    assertThat(orderPerKey(delivered)).isEqualTo(referenceOrder);
  }

  // ---------------------------------------------------------------------------------------------

  /** What one Kafka record holds, comparable by value. */
  record Delivered(String topic, String key, String valueHex, Map<String, String> headers) {
    Delivered withoutTraceparent() {
      Map<String, String> rest = new TreeMap<>(headers);
      rest.remove(EventHeaders.TRACEPARENT);
      return new Delivered(topic, key, valueHex, rest);
    }

    Delivered withoutNullHeaders() {
      Map<String, String> rest = new TreeMap<>(headers);
      rest.values().removeIf(NULL_HEADER::equals);
      return new Delivered(topic, key, valueHex, rest);
    }

    String eventId() {
      return headers.get(EventHeaders.EVENT_ID);
    }
  }

  private static void writeRows() throws Exception {
    try (var registry =
        new RestSchemaRegistryClient(SchemaRegistryClientConfig.builder(REGISTRY.url()).build())) {
      OutboxWriter writer = OutboxWriter.builder(registry).build();
      try (Connection connection = PG.connect()) {
        connection.setAutoCommit(false);
        int n = 0;
        for (int t = 0; t < TRANSACTIONS; t++) {
          List<SpecificRecord> events = new ArrayList<>();
          for (int e = 0; e < EVENTS_PER_TRANSACTION; e++, n++) {
            events.add(event(n));
          }
          writer.writeAll(connection, events);
          connection.commit();
        }
      }
    }
  }

  /** Orders and payments over {@link #AGGREGATES} aggregates; every fifth row has no causation. */
  private static SpecificRecord event(int n) {
    String aggregateId = "agg-" + (n % AGGREGATES);
    EventMetadata.Builder metadata =
        EventMetadata.newBuilder()
            .setEventId(UUID.randomUUID())
            .setSchemaVersion(1)
            .setAggregateId(aggregateId)
            .setCorrelationId("corr-" + aggregateId)
            .setCausationId(n % 5 == 0 ? null : "cause-" + n)
            .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
            .setTraceparent(n % 7 == 0 ? null : String.format("00-%032x-%016x-01", n + 1, n + 1));
    if (n % 2 == 0) {
      return OrderConfirmed.newBuilder()
          .setMetadata(metadata.setAggregateType("order").setEventType("OrderConfirmed").build())
          .setOrderId(aggregateId)
          .build();
    }
    return PaymentProcessed.newBuilder()
        .setMetadata(metadata.setAggregateType("payment").setEventType("PaymentProcessed").build())
        .setPaymentId(aggregateId)
        .setOrderId("order-of-" + aggregateId)
        .setAmountMinor(n)
        .setCurrency("EUR")
        .build();
  }

  private static void recreateOutboxTopics() {
    KAFKA.recreateTopics(
        Topics.outboxTopics().stream()
            .map(t -> new NewTopic(t.name(), t.partitions(), (short) 1).configs(t.config()))
            .toList());
  }

  /** Reads the outbox topics until {@link #ROWS} records arrived, then a little longer. */
  private static List<Delivered> readOutboxTopics() {
    Properties props = new Properties();
    props.putAll(KAFKA.clientConfig());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<Delivered> delivered = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(Topics.outboxTopics().stream().map(Topic::name).toList());
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (delivered.size() < ROWS && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> delivered.add(delivered(r)));
      }
      // Anything more (a duplicate) would arrive right after.
      long extra = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      while (System.nanoTime() < extra) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> delivered.add(delivered(r)));
      }
    }
    assertThat(delivered).as("records on the outbox topics").hasSize(ROWS);
    return delivered;
  }

  private static Delivered delivered(ConsumerRecord<byte[], byte[]> record) {
    Map<String, String> headers = new TreeMap<>();
    for (Header header : record.headers()) {
      String previous =
          headers.put(
              header.key(),
              header.value() == null
                  ? NULL_HEADER
                  : new String(header.value(), StandardCharsets.UTF_8));
      assertThat(previous).as("header %s appears once", header.key()).isNull();
    }
    return new Delivered(
        record.topic(),
        record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8),
        HexFormat.of().formatHex(record.value()),
        headers);
  }

  private static Map<String, Delivered> byEventId(List<Delivered> delivered) {
    return delivered.stream().collect(Collectors.toMap(Delivered::eventId, d -> d));
  }

  /** Each key's event ids in the order its partition holds them. */
  private static Map<String, List<String>> orderPerKey(List<Delivered> delivered) {
    return delivered.stream()
        .collect(
            Collectors.groupingBy(
                d -> d.topic() + "/" + d.key(),
                TreeMap::new,
                Collectors.mapping(Delivered::eventId, Collectors.toList())));
  }

  private static boolean confirmedFlushBeyondCreation(String slot) throws Exception {
    try (Connection connection = PG.connect();
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT confirmed_flush_lsn > ?::pg_lsn FROM pg_replication_slots"
                    + " WHERE slot_name = ?")) {
      query.setString(1, slotsCreatedAt);
      query.setString(2, slot);
      try (var result = query.executeQuery()) {
        return result.next() && result.getBoolean(1);
      }
    }
  }
}
