package org.edapipeline.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.edapipeline.cdc.CdcService;
import org.edapipeline.embedded.junit.KafkaExtension;
import org.edapipeline.embedded.junit.PostgresExtension;
import org.edapipeline.embedded.junit.SchemaRegistryExtension;
import org.edapipeline.embedded.postgres.EmbeddedPostgresServer;
import org.edapipeline.jobs.saga.SagaJobConfig;
import org.edapipeline.localstack.OutboxSqlCommand.EventType;
import org.edapipeline.localstack.flink.FlinkRest;
import org.edapipeline.localstack.flink.FlinkRuntime;
import org.edapipeline.localstack.flink.PipelineJobs;
import org.edapipeline.localstack.flink.PipelineSettings;
import org.edapipeline.sagaquery.SagaQueryService;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.edapipeline.service.ServiceSchema;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5's last "done when", end to end with nothing simulated: outbox rows inserted into
 * PostgreSQL go through the CDC outbox source to Kafka, through the real saga correlation job (on a
 * MiniCluster, exactly-once into {@code saga.state}) to the saga query service, whose {@code GET
 * /sagas/{id}} must show the right status
 *
 * <ul>
 *   <li>before any restart;
 *   <li>after the saga job was stopped with a savepoint and started again from it (what a user does
 *       for a planned restart or an upgrade: {@code flink stop --savepointPath …}, then {@code
 *       flink run -s <savepoint> …}), with an event written to the outbox while the job was down;
 *   <li>after the query service itself restarted on the same address (it rebuilds its view from the
 *       compacted topic), and for the changes that follow.
 * </ul>
 *
 * <p>Each saga's history must list every status exactly once, and {@code saga.state} must hold
 * exactly one committed record per status entered: nothing lost or written twice across the
 * restarts. A job restarted without its state would either park the next event as one of an unknown
 * order (the status would not move) or, re-reading its inputs, write the earlier statuses again.
 */
class SagaRestartEndToEndITCase {

  @RegisterExtension
  @Order(1)
  static final KafkaExtension KAFKA = new KafkaExtension();

  @RegisterExtension
  @Order(2)
  static final PostgresExtension POSTGRES =
      new PostgresExtension(EmbeddedPostgresServer.builder().database(LocalStack.DATABASE));

  @RegisterExtension
  @Order(3)
  static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension(KAFKA);

  private static final String SLOT = "edapipeline_outbox_restart_it";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** One subtask per operator; deadlines far beyond the test, so only our events move a saga. */
  private static final PipelineSettings SETTINGS =
      new PipelineSettings(
          1,
          Duration.ofSeconds(1),
          Duration.ofSeconds(10),
          Duration.ofSeconds(10),
          Duration.ofSeconds(2),
          Duration.ofSeconds(10),
          2,
          Duration.ofMinutes(5),
          Duration.ofMinutes(5),
          3);

  @TempDir Path directory;

  @Test
  void shouldServeTheRightStatusAfterTheJobRestartsFromASavepointAndAfterItsOwnRestart()
      throws Exception {
    for (Topic<?, ?> topic : Topics.all()) {
      KAFKA.createTopic(topic.name(), topic.partitions(), topic.config());
    }
    ServiceSchema.migrate(POSTGRES.dataSource());
    SchemaRegistryClientConfig registryConfig =
        SchemaRegistryClientConfig.builder(REGISTRY.url()).build();

    try (CdcService cdc =
            CdcService.start(
                LocalStack.cdcConfig(
                    POSTGRES.server(), KAFKA.bootstrapServers(), REGISTRY.url(), SLOT));
        FlinkRuntime flink =
            FlinkRuntime.start(0, 0, SETTINGS.parallelism(), directory.resolve("flink-tmp"));
        SchemaRegistryClient registry = new RestSchemaRegistryClient(registryConfig);
        Connection psql = POSTGRES.connect();
        Statement outbox = psql.createStatement()) {
      // The outbox keeps no rows: write only once the slot holds the WAL for the CDC source.
      LocalStack.awaitSlot(POSTGRES.server(), SLOT);
      PipelineJobs jobs =
          new PipelineJobs(
              SETTINGS, KAFKA.bootstrapServers(), REGISTRY.url(), directory.resolve("checkpoints"));
      SagaJobConfig sagaConfig = jobs.sagaConfig();
      FlinkRest rest = new FlinkRest(flink.webUiUrl());
      JobID firstRun = flink.submit(jobs.sagaGraph(sagaConfig));
      awaitRunning(rest, firstRun);

      int queryPort;
      try (SagaQueryService query = startQuery(0)) {
        queryPort = URI.create(query.url()).getPort();
        write(outbox, registry, EventType.OrderPlaced, "order-a");
        write(outbox, registry, EventType.InventoryReserved, "order-a");
        write(outbox, registry, EventType.OrderPlaced, "order-b");
        awaitSaga(query, "order-a", "STARTED", "INVENTORY_RESERVED");
        awaitSaga(query, "order-b", "STARTED");

        // Planned restart of the job: stop with a savepoint (its Kafka transactions commit).
        String savepoint = stopWithSavepoint(flink, firstRun);
        write(outbox, registry, EventType.PaymentProcessed, "order-a");
        assertSaga(query, "order-a", "STARTED", "INVENTORY_RESERVED");

        StreamGraph restored = jobs.sagaGraph(sagaConfig);
        restored.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, false));
        JobID secondRun = flink.submit(restored);
        awaitRunning(rest, secondRun);
        awaitSaga(query, "order-a", "STARTED", "INVENTORY_RESERVED", "PAYMENT_PROCESSED");
        assertSaga(query, "order-b", "STARTED");
      }

      // The query service restarts on the same address: it rebuilds from saga.state.
      try (SagaQueryService query = startQuery(queryPort)) {
        await().atMost(WAIT).pollInterval(POLL).until(query::ready);
        assertSaga(query, "order-a", "STARTED", "INVENTORY_RESERVED", "PAYMENT_PROCESSED");
        assertSaga(query, "order-b", "STARTED");

        write(outbox, registry, EventType.ShipmentDispatched, "order-a");
        write(outbox, registry, EventType.InventoryReserved, "order-b");
        awaitSaga(
            query, "order-a", "STARTED", "INVENTORY_RESERVED", "PAYMENT_PROCESSED", "SHIPPED");
        awaitSaga(query, "order-b", "STARTED", "INVENTORY_RESERVED");
      }
      // The restored job went on from the savepoint's state and offsets: it wrote no status twice
      // (a job restarted without its state, re-reading the inputs, would write them again).
      assertThat(committedStateRecordsPerOrder())
          .containsExactlyInAnyOrderEntriesOf(Map.of("order-a", 4L, "order-b", 2L));
    }
  }

  /**
   * Records per key in {@code saga.state}, read_committed up to its last stable offsets. Nothing is
   * compacted away during the test: the active segment (default size and age) is never cleaned.
   */
  private static Map<String, Long> committedStateRecordsPerOrder() {
    Map<String, Object> config = KAFKA.clientConfig();
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    Map<String, Long> counts = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.SAGA_STATE.name()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      await()
          .atMost(WAIT)
          .until(
              () -> {
                consumer
                    .poll(Duration.ofMillis(100))
                    .forEach(record -> counts.merge(record.key(), 1L, Long::sum));
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
              });
    }
    return counts;
  }

  private static void awaitRunning(FlinkRest rest, JobID job) {
    await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .ignoreExceptions()
        .until(
            () ->
                rest.jobs().stream()
                    .anyMatch(j -> j.id().equals(job.toHexString()) && j.fullyRunning()));
  }

  /** {@code flink stop --savepointPath <dir> <job>}: through the REST API, as the CLI does it. */
  private String stopWithSavepoint(FlinkRuntime flink, JobID job) throws Exception {
    URI web = URI.create(flink.webUiUrl());
    Configuration client = new Configuration();
    client.set(RestOptions.ADDRESS, web.getHost());
    client.set(RestOptions.PORT, web.getPort());
    try (RestClusterClient<StandaloneClusterId> cluster =
        new RestClusterClient<>(client, StandaloneClusterId.getInstance())) {
      String savepoint =
          cluster
              .stopWithSavepoint(
                  job,
                  false,
                  directory.resolve("savepoints").toUri().toString(),
                  SavepointFormatType.CANONICAL)
              .get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(cluster.getJobStatus(job).get(WAIT.toSeconds(), TimeUnit.SECONDS).name())
          .isEqualTo("FINISHED");
      return savepoint;
    }
  }

  private static SagaQueryService startQuery(int port) throws Exception {
    Properties kafka = new Properties();
    kafka.putAll(KAFKA.clientConfig());
    return SagaQueryService.start(
        kafka,
        SchemaRegistryClientConfig.builder(REGISTRY.url()).build(),
        new InetSocketAddress("127.0.0.1", port));
  }

  private static void write(
      Statement outbox, SchemaRegistryClient registry, EventType type, String orderId)
      throws Exception {
    outbox.execute(OutboxSqlCommand.insert(registry, OutboxSqlCommand.build(type, orderId)));
  }

  /** Waits until the saga's history is exactly {@code statuses}, the last one being current. */
  private static void awaitSaga(SagaQueryService query, String orderId, String... statuses) {
    await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .untilAsserted(() -> assertSaga(query, orderId, statuses));
  }

  private static void assertSaga(SagaQueryService query, String orderId, String... statuses)
      throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(query.url() + "/sagas/" + orderId)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode())
        .as("GET /sagas/%s: %s", orderId, response.body())
        .isEqualTo(200);
    JsonNode saga = JSON.readTree(response.body());
    List<String> history = new ArrayList<>();
    saga.path("history").forEach(step -> history.add(step.path("status").asText()));
    assertThat(saga.path("status").asText()).as(orderId).isEqualTo(statuses[statuses.length - 1]);
    assertThat(history).as("%s's history", orderId).containsExactly(statuses);
  }
}
