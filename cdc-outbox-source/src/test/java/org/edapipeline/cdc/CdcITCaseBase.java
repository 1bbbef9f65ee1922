package org.edapipeline.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.edapipeline.cdc.CdcTestSupport.PATIENCE;
import static org.edapipeline.cdc.TopicReader.header;
import static org.edapipeline.cdc.TopicReader.key;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.edapipeline.cdc.OutboxLoad.Written;
import org.edapipeline.cdc.config.CdcConfig;
import org.edapipeline.embedded.junit.KafkaExtension;
import org.edapipeline.embedded.junit.PostgresExtension;
import org.edapipeline.embedded.junit.SchemaRegistryExtension;
import org.edapipeline.schemas.EventHeaders;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.edapipeline.service.outbox.OutboxWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real Kafka, PostgreSQL and registry, one of each per test class; each test gets its own database,
 * slot, offsets topic and key prefix, so tests of a class share the topics without seeing each
 * other's events.
 */
abstract class CdcITCaseBase {

  @RegisterExtension
  @Order(1)
  static final KafkaExtension KAFKA = new KafkaExtension();

  @RegisterExtension
  @Order(2)
  static final PostgresExtension PG = new PostgresExtension();

  @RegisterExtension
  @Order(3)
  static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension(KAFKA);

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final AtomicInteger DATABASES = new AtomicInteger();

  static SchemaRegistryClient registryClient;
  static OutboxWriter writer;

  final List<AutoCloseable> resources = new ArrayList<>();
  DataSource dataSource;
  String database;
  String slot;
  String run;

  @BeforeAll
  static void createTopicsAndWriter() {
    CdcTestSupport.createCatalogueTopics(KAFKA);
    registryClient =
        new RestSchemaRegistryClient(SchemaRegistryClientConfig.builder(REGISTRY.url()).build());
    writer = OutboxWriter.builder(registryClient).build();
  }

  @AfterAll
  static void closeClient() {
    registryClient.close();
  }

  @AfterEach
  void closeResources() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    if (dataSource != null && PG.server().isRunning()) {
      CdcTestSupport.dropSlot(dataSource, slot);
    }
    assertNoClientOutlivesTheService();
  }

  /** After a clean stop no engine, producer or admin client thread of the service is left. */
  private static void assertNoClientOutlivesTheService() {
    Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(Thread.getAllStackTraces().keySet())
                    .extracting(Thread::getName)
                    .filteredOn(
                        name ->
                            name.contains("edapipeline-cdc")
                                || name.contains("debezium-server")
                                || name.startsWith("debezium-postgresconnector"))
                    .as("threads of engines, producers and admin clients after close")
                    .isEmpty());
  }

  /** A fresh database with the outbox, and the configuration of a service streaming it. */
  Map<String, String> freshDatabaseAndConfig() throws SQLException {
    database = getClass().getSimpleName().toLowerCase() + "_" + DATABASES.incrementAndGet();
    slot = "slot_" + database;
    run = "run" + UUID.randomUUID().toString().substring(0, 8);
    dataSource = CdcTestSupport.freshDatabase(PG, database);
    return CdcTestSupport.config(PG, KAFKA, REGISTRY, database);
  }

  /** Starts a service in this JVM and waits until its slot streams. */
  CdcService startService(Map<String, String> overrides) throws SQLException {
    Map<String, String> values = freshDatabaseAndConfig();
    values.putAll(overrides);
    return startServiceWith(values);
  }

  /** Starts a service on the database of {@link #freshDatabaseAndConfig} and waits for its slot. */
  CdcService startServiceWith(Map<String, String> values) {
    CdcService service = CdcService.start(CdcConfig.from(values, CdcTestSupport.environment(PG)));
    resources.add(service);
    awaitStreaming(() -> service.metrics().engineRunning());
    return service;
  }

  /** Waits until the slot exists and is read: rows committed from now on are seen. */
  void awaitStreaming(java.util.concurrent.Callable<Boolean> running) {
    Awaitility.await()
        .atMost(PATIENCE)
        .until(() -> running.call() && CdcTestSupport.slotActive(dataSource, slot));
  }

  TopicReader reader(List<Topic<?, ?>> topics) {
    TopicReader reader = new TopicReader(KAFKA.clientConfig(), topics, run);
    resources.add(reader);
    return reader;
  }

  /**
   * Reads the outbox topics until every committed event arrived, then asserts: nothing committed is
   * missing, nothing rolled back arrived, in-doubt events at most once each, every duplicate is a
   * repeat of an event id, keys are the aggregate ids, and each aggregate's first deliveries are in
   * commit order.
   *
   * @return how many records were duplicates
   */
  int assertEveryCommittedEventArrived(OutboxLoad load) {
    List<Written> committed = load.committed();
    Set<String> expected = new HashSet<>();
    committed.forEach(w -> expected.add(w.eventId()));
    TopicReader reader = reader(new ArrayList<>(Topics.outboxTopics()));
    List<ConsumerRecord<byte[], byte[]>> records = reader.readEventIds(expected, PATIENCE);
    records = reader.readFor(java.time.Duration.ofMillis(500));

    Map<String, Written> byId = new HashMap<>();
    committed.forEach(w -> byId.put(w.eventId(), w));
    Set<String> seen = new HashSet<>();
    Map<String, Long> lastSequence = new HashMap<>();
    int duplicates = 0;
    for (ConsumerRecord<byte[], byte[]> record : records) {
      String eventId = header(record, EventHeaders.EVENT_ID);
      assertThat(load.rolledBack).as("rolled back events never arrive").doesNotContain(eventId);
      if (!seen.add(eventId)) {
        duplicates++;
        continue;
      }
      Written written = byId.get(eventId);
      if (written == null) {
        assertThat(load.inDoubt).as("an event nobody wrote: %s", eventId).contains(eventId);
        continue;
      }
      assertThat(key(record)).isEqualTo(written.aggregateId());
      long previous = lastSequence.getOrDefault(written.aggregateId(), 0L);
      assertThat(written.sequence())
          .as("commit order of %s", written.aggregateId())
          .isGreaterThan(previous);
      lastSequence.put(written.aggregateId(), written.sequence());
    }
    assertThat(seen).containsAll(expected);
    return duplicates;
  }

  static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static long gauge(String metrics, String name) {
    return metrics
        .lines()
        .filter(line -> line.startsWith(name + " "))
        .mapToLong(line -> Long.parseLong(line.substring(name.length() + 1).trim()))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " not in " + metrics));
  }
}
